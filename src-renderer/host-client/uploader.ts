/** Hands a file the user picked in the page to main (browser host only); resolves with main's path for it. */
export type Uploader = (file: File, onProgress: (loaded: number, total: number) => void) => Promise<string>;

/**
 * The browser host's uploader: PUT the bytes to `/upload` with the per-launch token. XHR (not
 * fetch) because it reports upload progress for the progress bar.
 */
export function createUploader(origin: string, token: string): Uploader {
  return (file, onProgress) =>
    new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('PUT', `${origin}/upload?name=${encodeURIComponent(file.name)}`);
      xhr.setRequestHeader('x-remote-assist-token', token);
      xhr.upload.onprogress = (e) => onProgress(e.loaded, e.total || file.size);
      xhr.onload = () => {
        let body: { path?: string; error?: string } = {};
        try {
          body = JSON.parse(xhr.responseText) as typeof body;
        } catch {
          /* keep empty */
        }
        if (xhr.status === 200 && body.path) resolve(body.path);
        else reject(new Error(body.error ?? `Remote Assist could not take the file (HTTP ${xhr.status}).`));
      };
      xhr.onerror = () => reject(new Error('The file could not be handed to Remote Assist.'));
      xhr.send(file);
    });
}
