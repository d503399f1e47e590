import { aipVariables, containerEnvironment, defaultServingRoutes, expandReferences } from '../../../serving/model-server/aip-variables';

describe('the AIP_* variables', () => {
  const deployment = { endpointId: '12', deployedModelId: '3' };

  it("default the routes to Vertex's deployed-model paths", () => {
    expect(defaultServingRoutes(deployment)).toEqual({
      predictRoute: '/v1/endpoints/12/deployedModels/3:predict',
      healthRoute: '/v1/endpoints/12/deployedModels/3',
    });
  });

  it('are every variable Vertex sets, the optional ones only when known', () => {
    const routes = defaultServingRoutes(deployment);
    expect(aipVariables({ ...deployment, ...routes, port: 5001, storageUri: '/models/m' })).toEqual({
      AIP_MODE: 'PREDICTION',
      AIP_MODE_VERSION: '1.0.0',
      AIP_FRAMEWORK: 'CUSTOM_CONTAINER',
      AIP_HTTP_PORT: '5001',
      AIP_PREDICT_ROUTE: routes.predictRoute,
      AIP_HEALTH_ROUTE: routes.healthRoute,
      AIP_STORAGE_URI: '/models/m',
      AIP_ENDPOINT_ID: '12',
      AIP_DEPLOYED_MODEL_ID: '3',
      AIP_MODEL_NAME: '12',
      AIP_VERSION_NAME: '3',
    });
    expect(
      aipVariables({
        ...deployment,
        ...routes,
        port: 1,
        storageUri: '',
        projectNumber: '123456',
        machineType: 'n1-standard-2',
        acceleratorType: 'NVIDIA_L4',
      }),
    ).toMatchObject({
      AIP_PROJECT_NUMBER: '123456',
      AIP_MACHINE_TYPE: 'n1-standard-2',
      AIP_ACCELERATOR_TYPE: 'NVIDIA_L4',
    });
  });
});

describe('$(VARIABLE) references', () => {
  it('expand known names, leave unknown ones as written, and read $$ as a literal $', () => {
    const variables = { AIP_HTTP_PORT: '8081', NAME: 'x' };
    expect(expandReferences('--port=$(AIP_HTTP_PORT)', variables)).toBe('--port=8081');
    expect(expandReferences('$(NAME)$(NAME)-$(UNKNOWN)', variables)).toBe('xx-$(UNKNOWN)');
    expect(expandReferences('$$(NAME) $$$(NAME)', variables)).toBe('$(NAME) $x');
    expect(expandReferences('$NAME ${NAME} $(NAME', variables)).toBe('$NAME ${NAME} $(NAME');
    expect(expandReferences('cost: $$5', variables)).toBe('cost: $5');
  });

  it("in the spec's env see the AIP_* variables and earlier entries only, and cannot replace an AIP_* variable", () => {
    const env = containerEnvironment({ AIP_HTTP_PORT: '8081' }, [
      { name: 'B', value: '$(A)' },
      { name: 'A', value: 'port $(AIP_HTTP_PORT)' },
      { name: 'C', value: '$(A)!' },
      { name: 'AIP_HTTP_PORT', value: '9999' },
    ]);
    expect(env).toEqual({ AIP_HTTP_PORT: '8081', A: 'port 8081', B: '$(A)', C: 'port 8081!' });
  });
});
