import { pipeline, t } from '../../../../../compiler';
import { pythonFunctionComponent } from '../../../support/python-function';

const submitRequest = pythonFunctionComponent({
  name: 'submit_request',
  inputs: { url: t.string() },
  functionName: 'submit_request',
  image: 'registry.access.redhat.com/ubi9/python-311:latest',
  packages: ['requests'],
  source:
    "\ndef submit_request(url: str):\n    import requests\n    import os\n\n    # If running pipeline in multi-user mode, skip submitting request to external address.\n    multi_user = os.getenv('MULTI_USER', 'false')\n    if multi_user.lower() != 'true':\n        return\n\n    scheme = os.getenv('SCHEME', 'http')\n    if scheme not in ['http', 'https']:\n        raise Exception(f\"Invalid scheme: {scheme}\")\n\n    url = f'{scheme}://{url}'\n    # Submit HTTP or HTTPS request to in-cluster endpoint and external address, depending on the scheme specified by env var.\n    try:\n        response = requests.get(url, verify=True, timeout=5)\n        print(response.status_code)\n    except Exception as e:\n        raise Exception(f\"Failed to request {url}: {e}\")\n    if response.status_code != 200:\n        raise Exception(f\"Failed to request {url}: {response.status_code}\")\n\n",
});

export default pipeline(
  { name: 'pipeline-with-external-request', description: 'A pipeline that requests both in-cluster & external URLs.' },
  () => {
    submitRequest({ url: 'httpbin.org/get' }).setCaching(false);
    submitRequest({ url: 'ml-pipeline:8888/apis/v2beta1/healthz' }).setCaching(false);
  },
);
