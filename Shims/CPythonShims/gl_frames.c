// Reads a thread's Python stack the way faulthandler does (Python/traceback.c,
// dump_traceback, in 3.11): from the thread state's current interpreter frame through
// `previous`. It makes no frame object, allocates nothing and runs no Python code, so the
// watchdog can read the hub's stack without raising an audit event (the service's hooks
// would run on gl-watch) and without an allocation that starts the cyclic GC (whose
// finalizers would run the service's __del__ on gl-watch). The GIL must be held.
//
// The only file of the shim that needs CPython's internal frame layout
// (internal/pycore_frame.h), hence Py_BUILD_CORE here; the event recorder (gl_observe.c)
// walks frames through its cursor.
#define Py_BUILD_CORE 1
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <internal/pycore_frame.h>

#include <string.h>

#include "gl_internal.h"

// The deepest stack searched for a debugger's frames.
#define GL_MAX_SEARCH_DEPTH 512

// Copies `text` (a str) into `buffer` as UTF-8, truncated at a whole character, without
// allocating: PyUnicode_AsUTF8 may allocate the UTF-8 form. A lone surrogate (a file name
// decoded with surrogateescape) becomes '?'.
static void gl_copy_text(char *buffer, size_t size, PyObject *text) {
  size_t used = 0;
  if (text != NULL && PyUnicode_Check(text) && PyUnicode_IS_READY(text)) {
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t length = PyUnicode_GET_LENGTH(text);
    for (Py_ssize_t index = 0; index < length; index++) {
      Py_UCS4 c = PyUnicode_READ(kind, data, index);
      char bytes[4];
      size_t count;
      if (c < 0x80) {
        bytes[0] = (char)c;
        count = 1;
      } else if (c < 0x800) {
        bytes[0] = (char)(0xC0 | (c >> 6));
        bytes[1] = (char)(0x80 | (c & 0x3F));
        count = 2;
      } else if (c >= 0xD800 && c <= 0xDFFF) {
        bytes[0] = '?';
        count = 1;
      } else if (c < 0x10000) {
        bytes[0] = (char)(0xE0 | (c >> 12));
        bytes[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        bytes[2] = (char)(0x80 | (c & 0x3F));
        count = 3;
      } else {
        bytes[0] = (char)(0xF0 | (c >> 18));
        bytes[1] = (char)(0x80 | ((c >> 12) & 0x3F));
        bytes[2] = (char)(0x80 | ((c >> 6) & 0x3F));
        bytes[3] = (char)(0x80 | (c & 0x3F));
        count = 4;
      }
      if (used + count >= size) {
        break;
      }
      memcpy(buffer + used, bytes, count);
      used += count;
    }
  }
  buffer[used] = '\0';
}

// The thread state of the OS thread `thread_id` in the main interpreter, or NULL.
static PyThreadState *gl_thread_state(unsigned long thread_id) {
  PyInterpreterState *interpreter = PyInterpreterState_Main();
  for (PyThreadState *state = PyInterpreterState_ThreadHead(interpreter); state != NULL;
       state = PyThreadState_Next(state)) {
    if (state->thread_id == thread_id) {
      return state;
    }
  }
  return NULL;
}

// The innermost complete frame at or outside `frame` (an incomplete one has not run its
// first instruction yet; PyFrame_GetBack skips them too).
static _PyInterpreterFrame *gl_complete(_PyInterpreterFrame *frame) {
  while (frame != NULL && _PyFrame_IsIncomplete(frame)) {
    frame = frame->previous;
  }
  return frame;
}

// The line a frame is at, as PyFrame_GetLineNumber computes it (a tracer's f_lineno first).
static int gl_frame_line(_PyInterpreterFrame *frame) {
  if (frame->frame_obj != NULL && frame->frame_obj->f_lineno != 0) {
    return frame->frame_obj->f_lineno;
  }
  return PyCode_Addr2Line(frame->f_code,
                          _PyInterpreterFrame_LASTI(frame) * (int)sizeof(_Py_CODEUNIT));
}

static gl_frame_cursor gl_frames_of(PyThreadState *state) {
  gl_frame_cursor cursor = {state != NULL && state->cframe != NULL ? state->cframe->current_frame
                                                                     : NULL};
  return cursor;
}

gl_frame_cursor gl_frames_here(void) { return gl_frames_of(_PyThreadState_UncheckedGet()); }

int gl_frames_next(gl_frame_cursor *cursor, PyCodeObject **code, int *line) {
  _PyInterpreterFrame *frame = gl_complete(cursor->frame);
  if (frame == NULL) {
    cursor->frame = NULL;
    return 0;
  }
  *code = frame->f_code;
  *line = gl_frame_line(frame);
  cursor->frame = frame->previous;
  return 1;
}

static void gl_fill_from(gl_runtime_record *record, gl_frame_cursor cursor) {
  record->event.frame_count = 0;
  PyCodeObject *code;
  int line;
  while (record->event.frame_count < GL_MAX_FRAMES && gl_frames_next(&cursor, &code, &line)) {
    int index = record->event.frame_count;
    gl_copy_text(record->files[index], GL_FILE_BYTES, code->co_filename);
    if (strncmp(record->files[index], "<frozen ", 8) == 0) {
      continue;
    }
    gl_copy_text(record->functions[index], GL_FUNCTION_BYTES, code->co_name);
    record->event.files[index] = record->files[index];
    record->event.functions[index] = record->functions[index];
    record->event.lines[index] = line;
    record->event.frame_count++;
  }
}

int gl_fill_thread_stack(gl_runtime_record *record, unsigned long thread_id) {
  PyThreadState *state = gl_thread_state(thread_id);
  if (state == NULL || state->cframe == NULL) {
    return -1;
  }
  gl_fill_from(record, gl_frames_of(state));
  return 0;
}

void gl_fill_current_stack(gl_runtime_record *record) {
  gl_fill_from(record, gl_frames_of(PyThreadState_Get()));
}

static int gl_ends_with(const char *text, const char *suffix) {
  size_t length = strlen(text);
  size_t suffix_length = strlen(suffix);
  return length >= suffix_length && strcmp(text + length - suffix_length, suffix) == 0;
}

int gl_thread_in_debugger(unsigned long thread_id) {
  PyThreadState *state = gl_thread_state(thread_id);
  if (state == NULL || state->cframe == NULL) {
    return 0;
  }
  char file[GL_FILE_BYTES];
  char function[GL_FUNCTION_BYTES];
  gl_frame_cursor cursor = gl_frames_of(state);
  PyCodeObject *code;
  int line;
  for (int depth = 0; depth < GL_MAX_SEARCH_DEPTH && gl_frames_next(&cursor, &code, &line);
       depth++) {
    gl_copy_text(file, sizeof file, code->co_filename);
    if (gl_ends_with(file, "/pdb.py") || gl_ends_with(file, "/bdb.py")) {
      return 1;  // pdb stopped (its prompt, or bdb dispatching to it)
    }
    gl_copy_text(function, sizeof function, code->co_name);
    if (strstr(file, "pydevd") != NULL && strstr(function, "do_wait_suspend") != NULL) {
      return 1;  // pydevd (debugpy) suspended at a breakpoint or a step
    }
  }
  return 0;
}
