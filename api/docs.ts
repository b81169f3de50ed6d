/** Swagger UI for the generated OpenAPI document, served from the installed package (no CDN). */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import express, { Router } from 'express';

const require = createRequire(import.meta.url);
const SWAGGER_DIR = dirname(require.resolve('swagger-ui-dist/package.json'));

const PAGE = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>duban 督办 API</title>
<link rel="stylesheet" href="./assets/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="./assets/swagger-ui-bundle.js"></script>
<script src="./init.js"></script></body></html>`;

const INIT = `window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#swagger-ui', deepLinking: true });`;

export function docsRouter(): Router {
  const router = Router();
  router.get('/', (_req, res) => void res.type('html').send(PAGE));
  router.get('/init.js', (_req, res) => void res.type('js').send(INIT));
  router.use('/assets', express.static(SWAGGER_DIR, { index: false, maxAge: '1d' }));
  return router;
}
