/** The Docker and git files of a new project. */

/**
 * The `steps` image: the project with its production dependencies, in /app (the build context is
 * the image's working directory, where \`kfp-ts exec-component <module>\` finds the step's module).
 */
export function dockerfileText(options: { readonly vendored?: boolean } = {}): string {
  // A kfp-ts packed into vendor/ (kfp-ts init --kfp-ts-spec file:…tgz) is installed from there.
  const vendor = options.vendored ? 'COPY vendor ./vendor\n' : '';
  return `# The image of this project's containerized steps (images.steps in kfp-ts.config.ts). \`kfp-ts build\`
# tags it with a hash of this file and of every file the build context sends (see .dockerignore).
FROM node:20-slim
WORKDIR /app
# Dependencies first: a change to the code alone reuses this layer.
COPY package.json package-lock.json ./
${vendor}RUN npm ci --omit=dev --no-audit --no-fund
COPY . .
# Containerized steps run \`kfp-ts exec-component <module> <component>\` from /app.
ENV PATH=/app/node_modules/.bin:$PATH
`;
}

/**
 * What the build context leaves out, and so also out of the image's content-hash tag: editing
 * these files keeps the image, and the cache of the containerized steps. The steps run modules of
 * components/, which must not import pipelines/ or test/.
 */
export function dockerignoreText(): string {
  return `# Left out of the steps image and of its content-hash tag: editing these keeps the image (and the
# cache of the containerized steps). The steps run modules of components/, which must not import
# pipelines/ or test/.
node_modules
.git
.kfp-ts
build
pipelines
test
*.md
*.log
cloudbuild*.yaml
`;
}

export function gitignoreText(): string {
  return `node_modules/
build/
.kfp-ts/
*.log
`;
}
