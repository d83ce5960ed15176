/* Private to core/: GMime (mail in and out) and the GObject calls its macros make, loaded with dlopen the first time a command needs it
 * (core/lazy.c). Linking it would load it, and the libraries it needs, into every process: the
 * start of every command, `crm contact show` included, took 1.9 ms more CPU for it.
 * Include after <gmime/gmime.h>: its functions become calls through a table that
 * crm_lazy_gmime() fills. */
#ifndef CRM_CORE_LAZY_GMIME_H
#define CRM_CORE_LAZY_GMIME_H

#include "crm/error.h"

#define CRM_LAZY_GMIME_FNS(X) \
	X(g_mime_content_type_get_mime_type) \
	X(g_mime_content_type_is_type) \
	X(g_mime_data_wrapper_new_with_stream) \
	X(g_mime_data_wrapper_write_to_stream) \
	X(g_mime_encoding_quoted_decode_step) \
	X(g_mime_init) \
	X(g_mime_message_get_cc) \
	X(g_mime_message_get_date) \
	X(g_mime_message_get_from) \
	X(g_mime_message_get_message_id) \
	X(g_mime_message_get_mime_part) \
	X(g_mime_message_get_subject) \
	X(g_mime_message_get_to) \
	X(g_mime_message_new) \
	X(g_mime_message_part_get_message) \
	X(g_mime_message_part_get_type) \
	X(g_mime_message_set_date) \
	X(g_mime_message_set_message_id) \
	X(g_mime_message_set_mime_part) \
	X(g_mime_message_set_subject) \
	X(g_mime_multipart_add) \
	X(g_mime_multipart_get_count) \
	X(g_mime_multipart_get_part) \
	X(g_mime_multipart_get_type) \
	X(g_mime_multipart_new_with_subtype) \
	X(g_mime_object_get_content_type) \
	X(g_mime_object_get_content_type_parameter) \
	X(g_mime_object_get_type) \
	X(g_mime_object_set_header) \
	X(g_mime_object_to_string) \
	X(g_mime_object_write_to_stream) \
	X(g_mime_parser_construct_message) \
	X(g_mime_parser_new_with_stream) \
	X(g_mime_part_get_best_content_encoding) \
	X(g_mime_part_get_content) \
	X(g_mime_part_get_filename) \
	X(g_mime_part_get_type) \
	X(g_mime_part_is_attachment) \
	X(g_mime_part_new_with_type) \
	X(g_mime_part_set_content) \
	X(g_mime_part_set_content_encoding) \
	X(g_mime_part_set_filename) \
	X(g_mime_stream_flush) \
	X(g_mime_stream_fs_get_type) \
	X(g_mime_stream_fs_new) \
	X(g_mime_stream_fs_set_owner) \
	X(g_mime_stream_mem_new_with_byte_array) \
	X(g_mime_text_part_get_text) \
	X(g_mime_text_part_get_type) \
	X(g_mime_text_part_new_with_subtype) \
	X(g_mime_text_part_set_charset) \
	X(g_mime_text_part_set_text) \
	X(g_object_unref) \
	X(g_type_check_instance_cast) \
	X(g_type_check_instance_is_a) \
	X(internet_address_group_get_members) \
	X(internet_address_group_get_type) \
	X(internet_address_list_append) \
	X(internet_address_list_get_address) \
	X(internet_address_list_length) \
	X(internet_address_list_parse) \
	X(internet_address_mailbox_get_addr) \
	X(internet_address_mailbox_get_type) \
	X(internet_address_mailbox_new) \
	X(internet_address_to_string)

struct crm_lazy_gmime {
#define CRM_LAZY_SLOT(f) __typeof__(f) *f;
	CRM_LAZY_GMIME_FNS(CRM_LAZY_SLOT)
#undef CRM_LAZY_SLOT
};
extern struct crm_lazy_gmime crm_lazy_gmime_fns;

/* Load GMime and initialise it (once per process): CRM_OK, or CRM_EFAIL saying it cannot be
 * loaded. */
int crm_lazy_gmime(struct crm_err *err);

#ifndef CRM_LAZY_NO_MACROS
#define g_mime_content_type_get_mime_type (crm_lazy_gmime_fns.g_mime_content_type_get_mime_type)
#define g_mime_content_type_is_type (crm_lazy_gmime_fns.g_mime_content_type_is_type)
#define g_mime_data_wrapper_new_with_stream (crm_lazy_gmime_fns.g_mime_data_wrapper_new_with_stream)
#define g_mime_data_wrapper_write_to_stream (crm_lazy_gmime_fns.g_mime_data_wrapper_write_to_stream)
#define g_mime_encoding_quoted_decode_step (crm_lazy_gmime_fns.g_mime_encoding_quoted_decode_step)
#define g_mime_init (crm_lazy_gmime_fns.g_mime_init)
#define g_mime_message_get_cc (crm_lazy_gmime_fns.g_mime_message_get_cc)
#define g_mime_message_get_date (crm_lazy_gmime_fns.g_mime_message_get_date)
#define g_mime_message_get_from (crm_lazy_gmime_fns.g_mime_message_get_from)
#define g_mime_message_get_message_id (crm_lazy_gmime_fns.g_mime_message_get_message_id)
#define g_mime_message_get_mime_part (crm_lazy_gmime_fns.g_mime_message_get_mime_part)
#define g_mime_message_get_subject (crm_lazy_gmime_fns.g_mime_message_get_subject)
#define g_mime_message_get_to (crm_lazy_gmime_fns.g_mime_message_get_to)
#define g_mime_message_new (crm_lazy_gmime_fns.g_mime_message_new)
#define g_mime_message_part_get_message (crm_lazy_gmime_fns.g_mime_message_part_get_message)
#define g_mime_message_part_get_type (crm_lazy_gmime_fns.g_mime_message_part_get_type)
#define g_mime_message_set_date (crm_lazy_gmime_fns.g_mime_message_set_date)
#define g_mime_message_set_message_id (crm_lazy_gmime_fns.g_mime_message_set_message_id)
#define g_mime_message_set_mime_part (crm_lazy_gmime_fns.g_mime_message_set_mime_part)
#define g_mime_message_set_subject (crm_lazy_gmime_fns.g_mime_message_set_subject)
#define g_mime_multipart_add (crm_lazy_gmime_fns.g_mime_multipart_add)
#define g_mime_multipart_get_count (crm_lazy_gmime_fns.g_mime_multipart_get_count)
#define g_mime_multipart_get_part (crm_lazy_gmime_fns.g_mime_multipart_get_part)
#define g_mime_multipart_get_type (crm_lazy_gmime_fns.g_mime_multipart_get_type)
#define g_mime_multipart_new_with_subtype (crm_lazy_gmime_fns.g_mime_multipart_new_with_subtype)
#define g_mime_object_get_content_type (crm_lazy_gmime_fns.g_mime_object_get_content_type)
#define g_mime_object_get_content_type_parameter (crm_lazy_gmime_fns.g_mime_object_get_content_type_parameter)
#define g_mime_object_get_type (crm_lazy_gmime_fns.g_mime_object_get_type)
#define g_mime_object_set_header (crm_lazy_gmime_fns.g_mime_object_set_header)
#define g_mime_object_to_string (crm_lazy_gmime_fns.g_mime_object_to_string)
#define g_mime_object_write_to_stream (crm_lazy_gmime_fns.g_mime_object_write_to_stream)
#define g_mime_parser_construct_message (crm_lazy_gmime_fns.g_mime_parser_construct_message)
#define g_mime_parser_new_with_stream (crm_lazy_gmime_fns.g_mime_parser_new_with_stream)
#define g_mime_part_get_best_content_encoding (crm_lazy_gmime_fns.g_mime_part_get_best_content_encoding)
#define g_mime_part_get_content (crm_lazy_gmime_fns.g_mime_part_get_content)
#define g_mime_part_get_filename (crm_lazy_gmime_fns.g_mime_part_get_filename)
#define g_mime_part_get_type (crm_lazy_gmime_fns.g_mime_part_get_type)
#define g_mime_part_is_attachment (crm_lazy_gmime_fns.g_mime_part_is_attachment)
#define g_mime_part_new_with_type (crm_lazy_gmime_fns.g_mime_part_new_with_type)
#define g_mime_part_set_content (crm_lazy_gmime_fns.g_mime_part_set_content)
#define g_mime_part_set_content_encoding (crm_lazy_gmime_fns.g_mime_part_set_content_encoding)
#define g_mime_part_set_filename (crm_lazy_gmime_fns.g_mime_part_set_filename)
#define g_mime_stream_flush (crm_lazy_gmime_fns.g_mime_stream_flush)
#define g_mime_stream_fs_get_type (crm_lazy_gmime_fns.g_mime_stream_fs_get_type)
#define g_mime_stream_fs_new (crm_lazy_gmime_fns.g_mime_stream_fs_new)
#define g_mime_stream_fs_set_owner (crm_lazy_gmime_fns.g_mime_stream_fs_set_owner)
#define g_mime_stream_mem_new_with_byte_array (crm_lazy_gmime_fns.g_mime_stream_mem_new_with_byte_array)
#define g_mime_text_part_get_text (crm_lazy_gmime_fns.g_mime_text_part_get_text)
#define g_mime_text_part_get_type (crm_lazy_gmime_fns.g_mime_text_part_get_type)
#define g_mime_text_part_new_with_subtype (crm_lazy_gmime_fns.g_mime_text_part_new_with_subtype)
#define g_mime_text_part_set_charset (crm_lazy_gmime_fns.g_mime_text_part_set_charset)
#define g_mime_text_part_set_text (crm_lazy_gmime_fns.g_mime_text_part_set_text)
#define g_object_unref (crm_lazy_gmime_fns.g_object_unref)
#define g_type_check_instance_cast (crm_lazy_gmime_fns.g_type_check_instance_cast)
#define g_type_check_instance_is_a (crm_lazy_gmime_fns.g_type_check_instance_is_a)
#define internet_address_group_get_members (crm_lazy_gmime_fns.internet_address_group_get_members)
#define internet_address_group_get_type (crm_lazy_gmime_fns.internet_address_group_get_type)
#define internet_address_list_append (crm_lazy_gmime_fns.internet_address_list_append)
#define internet_address_list_get_address (crm_lazy_gmime_fns.internet_address_list_get_address)
#define internet_address_list_length (crm_lazy_gmime_fns.internet_address_list_length)
#define internet_address_list_parse (crm_lazy_gmime_fns.internet_address_list_parse)
#define internet_address_mailbox_get_addr (crm_lazy_gmime_fns.internet_address_mailbox_get_addr)
#define internet_address_mailbox_get_type (crm_lazy_gmime_fns.internet_address_mailbox_get_type)
#define internet_address_mailbox_new (crm_lazy_gmime_fns.internet_address_mailbox_new)
#define internet_address_to_string (crm_lazy_gmime_fns.internet_address_to_string)
#endif

#endif
