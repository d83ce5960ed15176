{{else}}{{/if}}{{}}{{{triple}}}{{#if}}{{/if}}
