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

# ISAL=1 inflates with isa-l's igzip (Debian: libisal-dev), about 2.5 times
# zlib's speed here; zlib stays the portable default.
ifeq ($(ISAL),1)
ZLIB_CFLAGS += -DGHA_ISAL
ZLIB_LIBS += -lisal
endif
