# gha build configuration: override any of these on the make command line.
VERSION = 0.1.0

PREFIX = /usr/local
MANPREFIX = $(PREFIX)/share/man

CC = cc
PKG_CONFIG = pkg-config
CPPFLAGS = -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L -DGHA_VERSION=\"$(VERSION)\"
CFLAGS = -std=c11 -pthread -O2 -g -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes
LDFLAGS = -pthread

# Libraries come from pkg-config (Debian: zlib1g-dev libjansson-dev
# libsqlite3-dev libcurl4-openssl-dev).
ZLIB_CFLAGS = $$($(PKG_CONFIG) --cflags zlib)
ZLIB_LIBS = $$($(PKG_CONFIG) --libs zlib)
JANSSON_CFLAGS = $$($(PKG_CONFIG) --cflags jansson)
JANSSON_LIBS = $$($(PKG_CONFIG) --libs jansson)
SQLITE_CFLAGS = $$($(PKG_CONFIG) --cflags sqlite3)
SQLITE_LIBS = $$($(PKG_CONFIG) --libs sqlite3)
CURL_CFLAGS = $$($(PKG_CONFIG) --cflags libcurl)
CURL_LIBS = $$($(PKG_CONFIG) --libs libcurl)

# Inflate with isa-l's igzip (Debian: libisal-dev) where it is installed:
# about 2.5 times zlib's speed here, and inflating is half of gha-decode's
# work and all of gha-fetch's verification.  zlib stays the portable
# default: without libisal's pkg-config file, or with ISAL=0, zlib
# inflates.  ISAL=1 insists on isa-l.
ifeq ($(origin ISAL),undefined)
ISAL := $(shell $(PKG_CONFIG) --exists libisal 2>/dev/null && echo 1 || echo 0)
endif
ifeq ($(ISAL),1)
ZLIB_CFLAGS += -DGHA_ISAL
ZLIB_LIBS += -lisal
endif
