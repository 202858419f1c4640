/** Short-lived notices for actions taken outside the ticket (cancel, close, reset), announced politely. */
import { useKeel } from '../stores/KeelProvider';

export function Toasts() {
  const toasts = useKeel((s) => s.toasts);
  const dismiss = useKeel((s) => s.dismissToast);
  return (
    <div className="toasts" role="status" aria-live="polite">
      {toasts.map((t) => (
        <div key={t.id} className={`toast toast-${t.kind}`}>
          <span>{t.text}</span>
          <button type="button" className="toast-close" aria-label="Dismiss" onClick={() => dismiss(t.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
