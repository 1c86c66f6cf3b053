-- Purpose: print a setting in a label without a trailing ".0" (24 h, not 24.0 h; 1.5 h stays 1.5 h).
create or replace macro label_number(x) as regexp_replace(cast(x as varchar), '\.0$', '');
