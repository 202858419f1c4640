/**
 * JSON-RPC 2.0 framing for the WebSocket transport. The numeric `error.code`
 * follows JSON-RPC; Keel's stable code travels in `error.data.code`.
 */
import type { ErrorCode, KeelErrorShape } from '../../shared/errors';

export const JSON_RPC = {
  PARSE_ERROR: -32700,
  INVALID_REQUEST: -32600,
  METHOD_NOT_FOUND: -32601,
  INVALID_PARAMS: -32602,
  INTERNAL_ERROR: -32603,
  UNAUTHORIZED: -32001,
  APPLICATION_ERROR: -32000,
} as const;

export type JsonRpcId = string | number | null;

export interface JsonRpcRequest {
  jsonrpc: '2.0';
  id?: JsonRpcId;
  method: string;
  params?: unknown;
}

export function numericCode(code: ErrorCode): number {
  switch (code) {
    case 'VALIDATION_FAILED':
      return JSON_RPC.INVALID_PARAMS;
    case 'UNKNOWN_METHOD':
      return JSON_RPC.METHOD_NOT_FOUND;
    case 'INTERNAL':
      return JSON_RPC.INTERNAL_ERROR;
    case 'UNAUTHORIZED':
      return JSON_RPC.UNAUTHORIZED;
    default:
      return JSON_RPC.APPLICATION_ERROR;
  }
}

export function errorResponse(id: JsonRpcId, error: KeelErrorShape, numeric = numericCode(error.code)): string {
  const data = typeof error.data === 'object' && error.data !== null ? { ...error.data, code: error.code } : { code: error.code };
  return JSON.stringify({ jsonrpc: '2.0', id, error: { code: numeric, message: error.message, data } });
}

export function resultResponse(id: JsonRpcId, result: unknown): string {
  return JSON.stringify({ jsonrpc: '2.0', id, result });
}

export function eventNotification(topic: string, data: unknown): string {
  return JSON.stringify({ jsonrpc: '2.0', method: 'event', params: { topic, data } });
}

/** True when the value is a JSON-RPC 2.0 request envelope (the params are checked later, by the contract). */
export function checkRequest(value: unknown): value is JsonRpcRequest {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  const idOk = r.id === undefined || r.id === null || typeof r.id === 'string' || typeof r.id === 'number';
  return r.jsonrpc === '2.0' && typeof r.method === 'string' && idOk;
}
