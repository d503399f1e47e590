/** Calls the viewer's JSON API (viewer/server/api-types.ts). */
import type { ApiError } from '../server/api-types';

export async function api<T>(path: string): Promise<T> {
  const response = await fetch(path, { headers: { accept: 'application/json' } });
  const body = (await response.json()) as T | ApiError;
  if (!response.ok) throw new Error((body as ApiError).error ?? `${response.status} ${response.statusText}`);
  return body as T;
}

export const enc = encodeURIComponent;
