/**
 * @file Saving text produced by the host as a file through the browser's download mechanism
 * (works the same in Electron and through the HTTP host).
 */

/** Offers `content` as a download named `filename`. */
export function download(filename: string, mime: string, content: string): void {
  const url = URL.createObjectURL(new Blob([content], { type: mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
