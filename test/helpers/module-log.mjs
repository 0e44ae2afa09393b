// Preload (node --import): prints every module URL the process resolves to stderr, one per
// line after "MODULE ", so a test can see what a command loads.
import { register } from 'node:module';

register(
  `data:text/javascript,${encodeURIComponent(`
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  if (!result.url.startsWith('node:')) process._rawDebug('MODULE ' + result.url);
  return result;
}`)}`,
);
