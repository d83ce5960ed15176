Subject: {{ unclosed

{{#if a}} no end
