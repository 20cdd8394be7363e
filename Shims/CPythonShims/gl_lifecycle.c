// Interpreter lifecycle: PyConfig, Py_InitializeFromConfig, Py_RunMain, finalisation and
// the process-level details (fatal signals, C stdio) around them.
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <signal.h>
#include <unistd.h>
#include <stdio.h>
#include <string.h>

#include "gl_internal.h"
#include "gl_python.h"

static gl_status gl_status_from(PyStatus status) {
  gl_status result = {0, 0, NULL, NULL};
  if (PyStatus_IsExit(status)) {
    result.kind = 1;
    result.exit_code = status.exitcode;
  } else if (PyStatus_Exception(status)) {
    result.kind = 2;
    result.function = status.func;
    result.message = status.err_msg;
  }
  return result;
}

static PyStatus gl_set_bytes(PyConfig *config, wchar_t **field, const char *value) {
  if (value == NULL) {
    return PyStatus_Ok();
  }
  return PyConfig_SetBytesString(config, field, value);
}

gl_status gl_initialize(const gl_launch_config *launch) {
  PyConfig config;
  // The "python" configuration reads PYTHON* environment variables and installs signal
  // handlers exactly as the python executable does; the isolated one would not.
  PyConfig_InitPythonConfig(&config);
  // greenlight's own options must not be read as python options; only the python front
  // end hands CPython a whole python command line to parse.
  config.parse_argv = launch->run_kind == GL_RUN_PARSE;

  // The argv first: the first bytes string pre-initialises Python, and only
  // PyConfig_SetBytesArgv hands pre-initialisation the command line, whose -E, -I,
  // -X utf8 and -X dev are pre-configuration.
  PyStatus status = PyConfig_SetBytesArgv(&config, launch->argc, launch->argv);
  if (!PyStatus_Exception(status)) {
    status = gl_set_bytes(&config, &config.program_name, launch->program_name);
  }
  if (!PyStatus_Exception(status)) {
    status = gl_set_bytes(&config, &config.executable, launch->executable);
  }
  if (!PyStatus_Exception(status)) {
    switch (launch->run_kind) {
      case GL_RUN_MODULE:
        status = gl_set_bytes(&config, &config.run_module, launch->run_value);
        break;
      case GL_RUN_COMMAND:
        status = gl_set_bytes(&config, &config.run_command, launch->run_value);
        break;
      case GL_RUN_FILE:
        status = gl_set_bytes(&config, &config.run_filename, launch->run_value);
        break;
      case GL_RUN_NOTHING:
      case GL_RUN_PARSE:
        break;
    }
  }
  if (!PyStatus_Exception(status)) {
    status = Py_InitializeFromConfig(&config);
  }
  PyConfig_Clear(&config);
  return gl_status_from(status);
}

int gl_run_main(void) { return Py_RunMain(); }

int gl_finalize(void) { return Py_FinalizeEx(); }

const char *gl_linked_version(void) { return Py_GetVersion(); }

long gl_magic_number(void) {
  long magic = PyImport_GetMagicNumber();  // importlib's _RAW_MAGIC_NUMBER: Python lookups
  if (magic == -1) {
    PyErr_Clear();
  }
  return magic;
}

// The prefix of the CPython build greenlight links, fixed when greenlight is built: the
// Makefile links Debian's libpython3.11 archive and headers from /usr (Package.swift passes
// the same prefix as the include path). Not read at run time: the interpreter's own idea of
// its prefix is computed from the executable and the environment, which is exactly what a
// venv of another build changes, and computing it costs the path configuration.
#ifndef GL_PYTHON_PREFIX
#define GL_PYTHON_PREFIX "/usr"
#endif

const char *gl_linked_prefix(void) { return GL_PYTHON_PREFIX; }

void gl_restore_default_fatal_signals(void) {
  static const int fatal[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP, SIGQUIT};
  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_handler = SIG_DFL;
  sigemptyset(&action.sa_mask);
  for (size_t i = 0; i < sizeof fatal / sizeof fatal[0]; i++) {
    sigaction(fatal[i], &action, NULL);
  }
}

void gl_flush_c_streams(void) { fflush(NULL); }

// The callback travels as the function object's `self`, a capsule, so that several can be
// registered.
static PyObject *gl_call_exit_callback(PyObject *self, PyObject *unused) {
  (void)unused;
  gl_exit_callback callback = (gl_exit_callback)PyCapsule_GetPointer(self, "greenlight.exit");
  if (callback == NULL) {
    return NULL;
  }
  callback();
  Py_RETURN_NONE;
}

static PyMethodDef gl_exit_callback_def = {
    "greenlight_at_exit", gl_call_exit_callback, METH_NOARGS, NULL};

int gl_atexit_register(gl_exit_callback callback) {
  PyObject *capsule = PyCapsule_New((void *)callback, "greenlight.exit", NULL);
  if (capsule == NULL) {
    return -1;
  }
  PyObject *function = PyCFunction_NewEx(&gl_exit_callback_def, capsule, NULL);
  Py_DECREF(capsule);
  if (function == NULL) {
    return -1;
  }
  // The service must see python's own sys.modules: when atexit was not imported yet, it
  // leaves sys.modules again once its register function is kept. 3.11 keeps the callbacks
  // in the interpreter's state, not the module's, so a later `import atexit` makes a new
  // module object and the registrations stand. Imported once: each import costs a walk of
  // the import machinery at every start.
  static PyObject *atexit_register = NULL;
  if (atexit_register == NULL) {
    PyObject *modules = PyImport_GetModuleDict();  // borrowed
    int was_loaded = PyDict_GetItemString(modules, "atexit") != NULL;
    PyObject *atexit = PyImport_ImportModule("atexit");
    atexit_register = atexit != NULL ? PyObject_GetAttrString(atexit, "register") : NULL;
    Py_XDECREF(atexit);
    if (!was_loaded && PyDict_DelItemString(modules, "atexit") != 0) {
      PyErr_Clear();
    }
  }
  PyObject *result =
      atexit_register != NULL ? PyObject_CallOneArg(atexit_register, function) : NULL;
  Py_DECREF(function);
  if (result == NULL) {
    return -1;
  }
  Py_DECREF(result);
  return 0;
}

// MARK: os._exit during check's import

static gl_os_exit_callback os_exit_callback = NULL;
static PyObject *original_os_exit = NULL;
static pid_t os_exit_pid = 0;

static PyObject *gl_os_exit(PyObject *unused, PyObject *arguments, PyObject *keywords) {
  (void)unused;
  static char *names[] = {"status", NULL};
  int status;
  if (!PyArg_ParseTupleAndKeywords(arguments, keywords, "i:_exit", names, &status)) {
    return NULL;
  }
  if (os_exit_callback == NULL || getpid() != os_exit_pid) {
    _exit(status);
  }
  const char *file = NULL;
  int line = 0;
  gl_frame_cursor cursor = gl_frames_here();
  PyCodeObject *code;
  if (gl_frames_next(&cursor, &code, &line)) {
    file = PyUnicode_AsUTF8(code->co_filename);
    if (file == NULL) {
      PyErr_Clear();
    }
  }
  _exit(os_exit_callback(status, file, line));
}

static PyMethodDef gl_os_exit_def = {
    "_exit", (PyCFunction)(void (*)(void))gl_os_exit, METH_VARARGS | METH_KEYWORDS,
    "os._exit, watched by greenlight check: the report is written before the process ends."};

static int gl_set_exit(PyObject *function) {
  int status = 0;
  for (const char *name = "os"; name != NULL; name = name[0] == 'o' ? "posix" : NULL) {
    PyObject *module = PyImport_ImportModule(name);
    if (module == NULL || PyObject_SetAttrString(module, "_exit", function) < 0) {
      status = -1;
    }
    Py_XDECREF(module);
  }
  return status;
}

int gl_os_exit_intercept(gl_os_exit_callback callback) {
  PyObject *posix = PyImport_ImportModule("posix");
  original_os_exit = posix ? PyObject_GetAttrString(posix, "_exit") : NULL;
  Py_XDECREF(posix);
  PyObject *function = original_os_exit ? PyCFunction_NewEx(&gl_os_exit_def, NULL, NULL) : NULL;
  if (function == NULL) {
    Py_CLEAR(original_os_exit);
    return -1;
  }
  os_exit_callback = callback;
  os_exit_pid = getpid();
  int status = gl_set_exit(function);
  Py_DECREF(function);
  return status;
}

void gl_os_exit_restore(void) {
  os_exit_callback = NULL;
  if (original_os_exit != NULL) {
    if (gl_set_exit(original_os_exit) < 0) {
      PyErr_Clear();
    }
    Py_CLEAR(original_os_exit);
  }
}
