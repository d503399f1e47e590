// Prints what Dawn reports for the high-performance adapter (raw GPUAdapterInfo fields and a few
// limits), to see how a machine's GPU appears to the webgpu backend.
const path = require('node:path');
const dawn = require(path.join(path.dirname(require.resolve('webgpu')), 'dist', `${process.platform}-${process.arch}`, 'dawn.node'));
const flags = (process.env.KFP_TS_DAWN_FLAGS ?? '').split(',').filter(Boolean);
dawn
  .create(flags)
  .requestAdapter({ powerPreference: 'high-performance' })
  .then((adapter) => {
    if (adapter === null) return console.log('no adapter');
    const { vendor, architecture, device, description } = adapter.info;
    const { maxComputeWorkgroupSizeX, maxStorageBufferBindingSize, maxBufferSize } = adapter.limits;
    console.log(
      JSON.stringify({
        vendor,
        architecture,
        device,
        description,
        maxComputeWorkgroupSizeX,
        maxStorageBufferBindingSize,
        maxBufferSize,
        features: [...adapter.features],
      }),
    );
  });
