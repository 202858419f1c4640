/**
 * The IPC sender check: an invoke is trusted only when it comes from the main
 * frame of our own window while that frame shows our renderer (out/renderer
 * index.html, or the dev server's origin in development). Subframes, other
 * webContents, navigated-away or destroyed frames and foreign URLs are refused.
 */
import type { IpcMainInvokeEvent, WebContents } from 'electron';
import { isRendererUrl, type RendererLocation } from './paths';
import { describeUrl } from './security';

/** The parts of an IPC event the check reads (Electron's IpcMainInvokeEvent has them). */
export type SenderEvent = Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>;

export interface TrustedSenderOptions {
  /** The main window's webContents, or null when there is none. */
  getWebContents: () => WebContents | null | undefined;
  renderer: RendererLocation;
  log?: (message: string) => void;
}

export function createTrustedSenderCheck(options: TrustedSenderOptions): (event: SenderEvent) => boolean {
  const log = options.log ?? ((message: string) => console.warn(`[keel:ipc] untrusted sender: ${message}`));
  return (event) => {
    const ours = options.getWebContents();
    if (!ours || ours.isDestroyed()) {
      log('there is no main window');
      return false;
    }
    if (event.sender.id !== ours.id) {
      log('the request came from another webContents');
      return false;
    }
    const frame = event.senderFrame;
    if (!frame) {
      log('the sending frame has navigated away or was destroyed');
      return false;
    }
    const main = ours.mainFrame;
    if (frame.parent !== null || frame.processId !== main.processId || frame.routingId !== main.routingId) {
      log('the request came from a subframe');
      return false;
    }
    if (!isRendererUrl(frame.url, options.renderer)) {
      log(`the frame is not on the Keel renderer (${describeUrl(frame.url)})`);
      return false;
    }
    return true;
  };
}
