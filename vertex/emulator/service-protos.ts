import * as fs from 'node:fs';
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import * as protobuf from 'protobufjs';

/**
 * The PipelineService definition and the google.rpc error types, loaded from the .proto files the
 * npm packages ship (the Vertex protos in @google-cloud/aiplatform, the common ones in google-gax),
 * so the emulator speaks exactly the wire format the real client does.
 */
export interface ServiceProtos {
  readonly pipelineService: grpc.ServiceDefinition;
  /** Vertex ML Metadata, for the calls of submitting into an experiment. */
  readonly metadataService: grpc.ServiceDefinition;
  /** google.rpc.Status and the error detail messages (BadRequest, QuotaFailure, ErrorInfo, …). */
  readonly rpcTypes: protobuf.Root;
}

let loaded: ServiceProtos | undefined;

export function serviceProtos(): ServiceProtos {
  if (loaded) return loaded;
  const aiplatform = packageRoot('@google-cloud/aiplatform');
  // google-gax has an exports map, so its package.json cannot be resolved: go up from its main file.
  // It is resolved from aiplatform's folder in case npm nested the copy aiplatform uses.
  const gax = packageRoot('google-gax', aiplatform);
  const includeDirs = [path.join(aiplatform, 'build/protos'), path.join(gax, 'build/protos')];
  const definition = protoLoader.loadSync(
    ['google/cloud/aiplatform/v1/pipeline_service.proto', 'google/cloud/aiplatform/v1/metadata_service.proto'],
    {
      includeDirs,
      keepCase: false,
      longs: String,
      enums: String,
      defaults: false,
      oneofs: true,
    },
  );
  const services = grpc.loadPackageDefinition(definition) as unknown as {
    google: {
      cloud: { aiplatform: { v1: { PipelineService: grpc.ServiceClientConstructor; MetadataService: grpc.ServiceClientConstructor } } };
    };
  };
  const rpcTypes = new protobuf.Root();
  rpcTypes.resolvePath = (_origin, target) =>
    includeDirs.map((dir) => path.join(dir, target)).find((file) => fs.existsSync(file)) ?? target;
  // MetadataStore too: CreateMetadataStore answers with an Operation whose response is one, packed in an Any.
  rpcTypes.loadSync(['google/rpc/status.proto', 'google/rpc/error_details.proto', 'google/cloud/aiplatform/v1/metadata_store.proto'], {
    keepCase: false,
  });
  const v1 = services.google.cloud.aiplatform.v1;
  loaded = { pipelineService: v1.PipelineService.service, metadataService: v1.MetadataService.service, rpcTypes };
  return loaded;
}

function packageRoot(id: string, from?: string): string {
  return path.resolve(path.dirname(require.resolve(id, from ? { paths: [from] } : undefined)), '../..');
}
