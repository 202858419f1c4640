/**
 * Saves text the host produced (a CSV, a report) as a file: a Blob behind a
 * temporary link with `download`, the browser's own save, so neither the
 * page nor the desktop window navigates anywhere.
 */
export function saveTextFile(doc: Document, filename: string, mimeType: string, content: string): void {
  const url = URL.createObjectURL(new Blob([content], { type: `${mimeType};charset=utf-8` }));
  const link = doc.createElement('a');
  link.href = url;
  link.download = filename;
  link.rel = 'noopener';
  link.style.display = 'none';
  doc.body.appendChild(link);
  link.click();
  link.remove();
  // The click has handed the file over; the URL is not needed after this turn.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
