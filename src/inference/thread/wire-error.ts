import { EngineError, type EngineErrorCode } from '../errors.js';
import type { WireError } from './protocol.js';

/** An error as it crosses a thread or process boundary (a structured clone loses its class). */
export function toWire(error: unknown): WireError {
  if (error instanceof EngineError) {
    return {
      name: error.name,
      message: error.message,
      code: error.code,
      status: error.status,
      retryAfterMs: error.retryAfterMs,
    };
  }
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: 'Error', message: String(error) };
}

/** The error again on this side: an EngineError keeps its code (and so its retry rules). */
export function fromWire(wire: WireError): Error {
  if (wire.name === 'EngineError' && wire.code !== undefined) {
    return new EngineError(wire.code as EngineErrorCode, wire.message, {
      status: wire.status,
      retryAfterMs: wire.retryAfterMs,
    });
  }
  const error = new Error(wire.message);
  error.name = wire.name;
  return error;
}
