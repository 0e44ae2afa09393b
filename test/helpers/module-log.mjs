// Preload (node --import): prints every module URL the process resolves to stderr, one per
// line after "MODULE ", so a test can see what a command loads.
import Module, { register } from 'node:module';

register(
  `data:text/javascript,${encodeURIComponent(`
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  if (!result.url.startsWith('node:')) process._rawDebug('MODULE ' + result.url);
  return result;
}`)}`,
);

// CommonJS requires (and ES modules required synchronously, as parse.ts loads remark) do not
// pass through the hook above: log them from Module._load.

const load = Module._load;
Module._load = function logged(request, parent, isMain, ...rest) {
  if (!Module.isBuiltin(request)) {
    try {
      process._rawDebug(`MODULE file://${Module._resolveFilename(request, parent, isMain)}`);
    } catch {
      // Not resolvable: the load below throws its own error.
    }
  }
  return load.call(this, request, parent, isMain, ...rest);
};
