/**
 * The Web Worker of the SDK: searches one slice of a proof-of-work challenge off the main
 * thread, so the page stays responsive while it solves. Bundled into a string inside sdk.js.
 */
import { searchRange, type SearchRange } from './pow';

interface WorkerScope {
  onmessage: ((event: MessageEvent<SearchRange>) => void) | null;
  postMessage(message: { number: number | null }): void;
}

const scope = self as unknown as WorkerScope;
scope.onmessage = (event) => {
  scope.postMessage({ number: searchRange(event.data) });
};
