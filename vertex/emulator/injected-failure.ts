import * as grpc from '@grpc/grpc-js';
import { serviceProtos } from './service-protos';

/**
 * An error the emulator answers with instead of serving a call, shaped as Vertex AI sends them: a
 * gRPC status with a message, and optional google.rpc details in `grpc-status-details-bin`, which
 * the client decodes into `statusDetails`.
 */
export interface InjectedFailure {
  readonly code: grpc.status;
  readonly message: string;
  /** google.rpc.BadRequest field violations. */
  readonly fieldViolations?: readonly { field: string; description: string }[];
  /** google.rpc.QuotaFailure violations. */
  readonly quotaViolations?: readonly { subject: string; description: string }[];
  /** google.rpc.ErrorInfo. */
  readonly errorInfo?: { reason: string; domain: string; metadata?: Record<string, string> };
  /** google.rpc.Help links. */
  readonly helpLinks?: readonly { description: string; url: string }[];
  /** Serve the call first and then answer with this error: the request took effect but its response was lost. */
  readonly afterServing?: boolean;
}

/** The error object a grpc-js handler passes to its callback. */
export function toServiceError(failure: InjectedFailure): Partial<grpc.StatusObject> {
  const { rpcTypes } = serviceProtos();
  // protobufjs predefines google.protobuf.Any with its proto field names (type_url), whatever keepCase says.
  const details: { type_url: string; value: Uint8Array }[] = [];
  const add = (typeName: string, message: object) => {
    const type = rpcTypes.lookupType(typeName);
    details.push({ type_url: `type.googleapis.com/${typeName}`, value: type.encode(type.fromObject(message)).finish() });
  };
  if (failure.fieldViolations) add('google.rpc.BadRequest', { fieldViolations: failure.fieldViolations });
  if (failure.quotaViolations) add('google.rpc.QuotaFailure', { violations: failure.quotaViolations });
  if (failure.errorInfo) add('google.rpc.ErrorInfo', failure.errorInfo);
  if (failure.helpLinks) add('google.rpc.Help', { links: failure.helpLinks });
  const metadata = new grpc.Metadata();
  if (details.length) {
    const status = rpcTypes.lookupType('google.rpc.Status');
    const encoded = status.encode(status.fromObject({ code: failure.code, message: failure.message, details })).finish();
    metadata.set('grpc-status-details-bin', Buffer.from(encoded));
  }
  return { code: failure.code, details: failure.message, metadata };
}
