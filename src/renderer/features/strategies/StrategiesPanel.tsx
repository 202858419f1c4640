/**
 * The Strategies view, full width under the header: the catalog, the chosen
 * strategy's page and the create form across the top; every instance, live,
 * underneath.
 */
import { CreateStrategyForm } from './CreateStrategyForm';
import { StrategiesTable } from './StrategiesTable';
import { StrategyCatalog } from './StrategyCatalog';
import { StrategyDetails } from './StrategyDetails';

export function StrategiesPanel() {
  return (
    <div className="sv" data-testid="strategies-panel">
      <StrategyCatalog />
      <StrategyDetails />
      <CreateStrategyForm />
      <StrategiesTable />
    </div>
  );
}
