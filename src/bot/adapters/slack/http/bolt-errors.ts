import type { ReceiverProcessEventErrorHandlerArgs, ReceiverUnhandledRequestHandlerArgs } from '@slack/bolt';
import type { Logger } from '../../../../log/logger.js';
import type { SlackMetrics } from '../metrics.js';
import { refuseForGood } from './gate.js';

/**
 * Bolt's handlers for the requests that pass `routableOnly` and still go wrong, answering 4xx
 * where Bolt's defaults answer 500 (or 404 after 3 s).
 */
export function boltErrorHandlers(metrics: SlackMetrics, log: Logger) {
  return {
    /**
     * Bolt threw before any listener acknowledged: its routing tripped on the payload's shape
     * (every listener of teambot acknowledges first thing). Authorization failures keep 401.
     */
    processEventErrorHandler: async ({ error, response }: ReceiverProcessEventErrorHandlerArgs) => {
      if (response.headersSent) {
        log.warn({ err: error }, 'a Slack listener failed after its answer');
        return false;
      }
      const unauthorized = (error as { code?: string }).code === 'slack_bolt_authorization_error';
      metrics.rejected('unroutable');
      log.warn({ reason: error.message }, 'refused a signed Slack request Bolt could not route');
      if (unauthorized) {
        response.writeHead(401);
        response.end();
      } else refuseForGood(response, 'not a request teambot can handle');
      return true;
    },
    /** Nothing acknowledged within 3 s: a listener is missing, which `routableOnly` should have caught. */
    unhandledRequestHandler: ({ response }: ReceiverUnhandledRequestHandlerArgs) => {
      metrics.rejected('unroutable');
      log.error('a signed Slack request reached no listener within 3 s; routableOnly let it through');
      refuseForGood(response, 'not a request teambot can handle');
    },
  };
}
