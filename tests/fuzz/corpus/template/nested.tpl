Hello {{name}}
{{#if vip}}VIP{{#if x}}nested{{/if}}{{/if}}
