// The inspection worker's entry: TypeScript is loaded through tsx here, since a worker thread
// does not inherit the loader its parent was started with.
import { register } from 'tsx/esm/api';

register();
await import('./inspect-thread.ts');
