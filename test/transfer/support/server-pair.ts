import { after, before } from 'node:test';
import { DataServer } from './data-server.js';
import { UploadServer } from './upload-server.js';

/** A source DataServer and a destination UploadServer shared by one suite's tests. */
export interface ServerPair {
  readonly src: DataServer;
  readonly dst: UploadServer;
  /** A fresh object URL on the destination, so that tests never share one. */
  target(): string;
}

/**
 * Starts the two servers in the calling describe()'s `before` (an empty source: tests set
 * `src.behaviour`) and closes them in its `after`. Read `src`/`dst` inside tests only.
 */
export function serverPair(): ServerPair {
  let src: DataServer | undefined;
  let dst: UploadServer | undefined;
  let key = 0;
  before(async () => {
    src = await DataServer.start({ size: 0 });
    dst = await UploadServer.start();
  });
  after(async () => {
    await src?.close();
    await dst?.close();
  });
  const started = <T>(s: T | undefined): T => {
    if (s === undefined) throw new Error('test: the servers start in before()');
    return s;
  };
  return {
    get src() {
      return started(src);
    },
    get dst() {
      return started(dst);
    },
    target: () => `${started(dst).url}/obj-${++key}`,
  };
}
