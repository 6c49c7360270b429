#ifndef HOTFIX_AUDIT_CLIBXML2_SHIM_H
#define HOTFIX_AUDIT_CLIBXML2_SHIM_H
// Debian's libxml2 headers pull in ICU, whose UErrorCode clashes with Foundation's copy
// when both are imported into one Swift module; we never need libxml2's ICU bits.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlwriter.h>
#include <libxml/xmlschemas.h>
#include <libxml/xmlerror.h>
#endif
