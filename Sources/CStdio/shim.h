#include <stdio.h>
/* Makes standard output line-buffered even when it is a pipe or a file, so that scripts reading a
   long-running command's per-host lines get each line at once. (Swift 6 refuses to touch the C
   `stdout` global directly.) */
static inline void hotfix_audit_line_buffer_stdout(void) { setvbuf(stdout, NULL, _IOLBF, 0); }
