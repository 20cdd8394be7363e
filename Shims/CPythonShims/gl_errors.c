// The Python error indicator, taken as one exception object for Swift's PythonError funnel.
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "gl_python.h"

int gl_error_occurred(void) { return PyErr_Occurred() != NULL; }

PyObject *gl_error_take(void) {
  PyObject *type = NULL, *value = NULL, *traceback = NULL;
  PyErr_Fetch(&type, &value, &traceback);
  if (type == NULL) {
    return NULL;
  }
  PyErr_NormalizeException(&type, &value, &traceback);
  if (traceback != NULL && value != NULL) {
    PyException_SetTraceback(value, traceback);
  }
  Py_XDECREF(type);
  Py_XDECREF(traceback);
  return value;
}

int gl_exception_is(PyObject *exception, gl_exception_kind kind) {
  PyObject *class = NULL;
  switch (kind) {
    case GL_EXC_SYSTEM_EXIT:
      class = PyExc_SystemExit;
      break;
    case GL_EXC_KEYBOARD_INTERRUPT:
      class = PyExc_KeyboardInterrupt;
      break;
    case GL_EXC_MODULE_NOT_FOUND:
      class = PyExc_ModuleNotFoundError;
      break;
    case GL_EXC_IMPORT_ERROR:
      class = PyExc_ImportError;
      break;
  }
  return class != NULL && PyObject_IsInstance(exception, class) == 1;
}

void gl_error_display(PyObject *exception) {
  PyObject *traceback = PyException_GetTraceback(exception);
  PyErr_Display((PyObject *)Py_TYPE(exception), exception, traceback);
  Py_XDECREF(traceback);
}

void gl_error_print_uncaught(PyObject *exception) {
  if (PyObject_IsInstance(exception, PyExc_SystemExit) == 1) {
    return;
  }
  PyErr_Clear();
  PyObject *traceback = PyException_GetTraceback(exception);
  Py_INCREF(exception);
  PyErr_Restore((PyObject *)Py_NewRef(Py_TYPE(exception)), exception, traceback);
  PyErr_PrintEx(0);
}

static gl_uncaught_callback uncaught_callback = NULL;

// `self` is the hook it stands in front of.
static PyObject *gl_excepthook(PyObject *original, PyObject *const *arguments, Py_ssize_t count) {
  PyObject *result = PyObject_Vectorcall(original, arguments, (size_t)count, NULL);
  if (count == 3 && uncaught_callback != NULL && PyExceptionInstance_Check(arguments[1])) {
    PyObject *type, *value, *traceback;
    PyErr_Fetch(&type, &value, &traceback);
    uncaught_callback(arguments[1]);
    PyErr_Restore(type, value, traceback);
  }
  return result;
}

static PyMethodDef gl_excepthook_def = {
    "excepthook", (PyCFunction)(void (*)(void))gl_excepthook, METH_FASTCALL,
    "sys.excepthook, watched by greenlight: the service's hook runs unchanged."};

int gl_excepthook_watch(gl_uncaught_callback callback) {
  PyObject *original = PySys_GetObject("excepthook");  // borrowed
  if (original == NULL) {
    PyErr_SetString(PyExc_RuntimeError, "sys.excepthook is missing");
    return -1;
  }
  PyObject *hook = PyCFunction_NewEx(&gl_excepthook_def, original, NULL);
  if (hook == NULL) {
    return -1;
  }
  uncaught_callback = callback;
  int status = PySys_SetObject("excepthook", hook);
  Py_DECREF(hook);
  return status;
}

static gl_uncaught_callback import_callback = NULL;

// `self` is the __import__ it stands in front of.
static PyObject *gl_watched_import(PyObject *original, PyObject *const *arguments,
                                   size_t count, PyObject *names) {
  PyObject *result = PyObject_Vectorcall(original, arguments, count, names);
  if (result == NULL && import_callback != NULL) {
    PyObject *type, *value, *traceback;
    PyErr_Fetch(&type, &value, &traceback);
    PyErr_NormalizeException(&type, &value, &traceback);
    if (value != NULL) {
      if (traceback != NULL) {
        PyException_SetTraceback(value, traceback);
      }
      import_callback(value);
    }
    PyErr_Restore(type, value, traceback);
  }
  return result;
}

static PyMethodDef gl_import_def = {
    "__import__", (PyCFunction)(void (*)(void))gl_watched_import,
    METH_FASTCALL | METH_KEYWORDS,
    "__import__, watched by greenlight: the import runs unchanged."};

int gl_import_watch(gl_uncaught_callback callback) {
  PyObject *builtins = PyEval_GetBuiltins();  // borrowed
  PyObject *original = builtins == NULL ? NULL : PyDict_GetItemString(builtins, "__import__");
  if (original == NULL) {
    PyErr_SetString(PyExc_RuntimeError, "builtins.__import__ is missing");
    return -1;
  }
  PyObject *wrapper = PyCFunction_NewEx(&gl_import_def, original, NULL);
  if (wrapper == NULL) {
    return -1;
  }
  import_callback = callback;
  int status = PyDict_SetItemString(builtins, "__import__", wrapper);
  Py_DECREF(wrapper);
  return status;
}
