// Starts Swagger UI on the document; a file, not an inline script, so the page's CSP can say
// script-src 'self'. validatorUrl null: Swagger UI would otherwise ask an online validator.
const root = document.getElementById('swagger-ui');
window.ui = SwaggerUIBundle({
  url: root.dataset.specUrl,
  domNode: root,
  deepLinking: true,
  validatorUrl: null,
  persistAuthorization: false,
  presets: [SwaggerUIBundle.presets.apis],
  layout: 'BaseLayout',
});
