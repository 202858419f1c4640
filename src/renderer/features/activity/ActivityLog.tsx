/** The engine's activity log: every `activity.new` (and any order denial it did not log), newest first, coloured by level; virtualized. */
import type { Activity } from '../../../shared/domain';
import { VirtualTable, type Column } from '../../components/VirtualTable';
import { fmtTime } from '../../lib/format';
import { useKeel } from '../../stores/KeelProvider';
import { selectActivityView } from '../../stores/selectors';

const columns: Column<Activity>[] = [
  { key: 'time', header: 'Time', className: 'num muted', width: 70, render: (a) => fmtTime(a.timestamp) },
  {
    key: 'level',
    header: 'Level',
    width: 64,
    render: (a) => <span className={`level level-${a.level}`}>{a.level}</span>,
  },
  { key: 'category', header: 'Category', width: 76, className: 'muted', render: (a) => a.category },
  { key: 'message', header: 'Message', className: 'message', render: (a) => <span title={a.message}>{a.message}</span> },
];

export function ActivityLog() {
  const activity = useKeel(selectActivityView);
  return (
    <VirtualTable
      label="Activity log"
      rows={activity}
      columns={columns}
      rowKey={(a) => a.id}
      rowClassName={(a) => `row-${a.level}`}
      empty="Nothing logged yet"
    />
  );
}
