/** "Reset layout": every splitter back to its default and every pane shown, for this window. */
import { useKeel } from '../../stores/KeelProvider';
import { isDefaultLayout } from '../../stores/layout';

export function ResetLayoutButton() {
  const resetLayout = useKeel((s) => s.resetLayout);
  const isDefault = useKeel((s) => isDefaultLayout(s.layout));
  return (
    <button
      type="button"
      className="btn btn-ghost btn-xs layout-reset"
      disabled={isDefault}
      title="Put every splitter back and show every pane"
      onClick={resetLayout}
    >
      Reset layout
    </button>
  );
}
