/** The preload bridge, present only inside the Electron window. */
import type { DesktopApi } from '../../shared/ipc';

declare global {
  interface Window {
    api?: DesktopApi;
  }
}

export {};
