# HG_CHECK_CFLAG(FLAG, ACTION-IF-OK)
# Try compiling an empty program with FLAG (and -Werror so that unknown
# flags are rejected by clang as well as gcc).
AC_DEFUN([HG_CHECK_CFLAG], [
  AC_MSG_CHECKING([whether $CC accepts $1])
  hg_save_CFLAGS="$CFLAGS"
  CFLAGS="$CFLAGS -Werror $1"
  AC_COMPILE_IFELSE([AC_LANG_PROGRAM([], [])],
    [AC_MSG_RESULT([yes]); $2], [AC_MSG_RESULT([no])])
  CFLAGS="$hg_save_CFLAGS"
])
