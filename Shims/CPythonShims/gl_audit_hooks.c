// Takes a C audit hook out of CPython's list again. CPython has no API for it
// (PySys_AddAuditHook hooks are meant to stay), and while any C hook is installed every
// audit event builds its argument tuple and calls the hooks: eventlet's monkey_patch alone
// raises about 100k events, a few per cent of a patched start-up. greenlight installs its
// hook before initialisation (to see init-time imports) and, when `--patch auto` decides
// that greenlight patches first in `run`, nothing reads events until hand-off.
//
// The list is the runtime's (internal/pycore_runtime.h, 3.11): `audit_hook_head`, entries
// from PyMem_RawMalloc (Python/sysmodule.c, PySys_AddAuditHook), freed the same way by
// _PySys_ClearAuditHooks at finalisation (an entry taken out is no longer there to free). The only file of the shim that needs that layout,
// hence Py_BUILD_CORE here.
#define Py_BUILD_CORE 1
#include <Python.h>
#include <internal/pycore_runtime.h>

#include "gl_internal.h"

int gl_audit_hook_remove(Py_AuditHookFunction hook) {
  _Py_AuditHookEntry **link = &_PyRuntime.audit_hook_head;
  while (*link != NULL) {
    _Py_AuditHookEntry *entry = *link;
    if (entry->hookCFunction == hook) {
      // Unlinked, not freed: another thread may be in the middle of the hook chain (a hook
      // that ran Python code let it take the GIL), holding this entry as its place; its
      // `next` still leads on. A few bytes, once or twice a process.
      *link = entry->next;
      return 1;
    }
    link = &entry->next;
  }
  return 0;
}
