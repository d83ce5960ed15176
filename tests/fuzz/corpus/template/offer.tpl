Subject: Your offer, {{first_name}}

Dear {{first_name}} {{last_name}},

{{#if account}}as agreed with {{account.name}}{{else}}as agreed{{/if}}, the price is {{amount}}.

Regards
