/*
 * test_accounts.c - unit tests for the pure parts of core/accounts.c: the
 * password policy (length, libpwquality with the padded-word check),
 * argon2id hashing and rehash detection, tokens and their hashes, and the
 * email address check.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "accounts.h"

static void
test_policy_table(void **state)
{
	static const struct {
		const char *password;
		const char *why;		/* NULL: accepted */
	} cases[] = {
		{ "Xy7#kq2!Lp9", "account.password.short" },	/* 11 */
		{ "Wobbly-Lantern-Quartz-91", NULL },
		{ "correct horse battery staple 42", NULL },
		{ "password1234", "account.password.weak" },	/* padded word */
		{ "  sunshine2024!", "account.password.weak" },
		{ "123456789012", "account.password.weak" },	/* systematic */
		{ "aaaaaaaaaaaaa", "account.password.weak" },	/* palindrome */
		{ "x@example.org", "account.password.weak" },	/* the user name */
		{ "Test Person 2024", "account.password.weak" },	/* the name */
		{ "caf\xc3\xa9 \xff broken utf8", "account.password.weak" },
	};
	const char *why;
	size_t i;
	int rc;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		why = NULL;
		rc = account_password_policy(cases[i].password, "x@example.org",
		    "Test Person", &why);
		if (cases[i].why == NULL) {
			if (rc != 0)
				fail_msg("\"%s\" refused: %s", cases[i].password, why);
		} else {
			if (rc == 0)
				fail_msg("\"%s\" accepted", cases[i].password);
			assert_string_equal(why, cases[i].why);
		}
	}
}

static void
test_policy_lengths(void **state)
{
	char password[ACCOUNT_PASSWORD_MAX + 2];
	const char *why = NULL;

	(void)state;
	/* 129 bytes of a varied, non-dictionary text. */
	for (size_t i = 0; i < sizeof(password) - 1; i++)
		password[i] = "Kq7-Zm4!Tr9#Wb2"[i % 15];
	password[ACCOUNT_PASSWORD_MAX + 1] = '\0';
	assert_int_equal(account_password_policy(password, "x@example.org", "N",
	    &why), -1);
	assert_string_equal(why, "account.password.long");
}

static void
test_hash_verify_rehash(void **state)
{
	struct config cheap = { 0 }, dearer = { 0 };
	char hash[crypto_pwhash_STRBYTES];
	int rehash = -1;

	(void)state;
	cheap.password_opslimit = 1;
	cheap.password_memlimit = 1024 * 1024;
	dearer.password_opslimit = 2;
	dearer.password_memlimit = 2 * 1024 * 1024;
	assert_int_equal(account_password_hash(&cheap, "Wobbly-Lantern-Quartz-91",
	    hash), 0);
	assert_memory_equal(hash, "$argon2id$", 10);
	assert_int_equal(account_password_verify(&cheap, hash,
	    "Wobbly-Lantern-Quartz-91", &rehash), 1);
	assert_int_equal(rehash, 0);
	assert_int_equal(account_password_verify(&cheap, hash,
	    "Wobbly-Lantern-Quartz-92", &rehash), 0);
	/* Other limits configured: the right password asks for a rehash. */
	assert_int_equal(account_password_verify(&dearer, hash,
	    "Wobbly-Lantern-Quartz-91", &rehash), 1);
	assert_int_equal(rehash, 1);
	/* No hash (an invited user): nothing matches. */
	assert_int_equal(account_password_verify(&cheap, NULL, "", &rehash), 0);
}

static void
test_tokens(void **state)
{
	char a[33], a_hash[65], b[33], b_hash[65], again[65];

	(void)state;
	account_token_new(a, a_hash);
	account_token_new(b, b_hash);
	assert_int_equal(strlen(a), 32);
	assert_int_equal(strspn(a, "0123456789abcdef"), 32);
	assert_int_equal(strlen(a_hash), 64);
	assert_string_not_equal(a, b);
	account_token_hash(a, again);
	assert_string_equal(again, a_hash);
	assert_string_not_equal(a_hash, b_hash);
}

static void
test_email(void **state)
{
	(void)state;
	assert_true(account_email_ok("ada@example.org"));
	assert_true(account_email_ok("Ada.Lovelace+labs@example.co.uk"));
	assert_false(account_email_ok("ada"));
	assert_false(account_email_ok("@example.org"));
	assert_false(account_email_ok("ada@"));
	assert_false(account_email_ok("a@b@c"));
	assert_false(account_email_ok("ada lovelace@example.org"));
	assert_false(account_email_ok("ada@example.org\r\nBcc: x@evil"));
	assert_false(account_email_ok("<ada@example.org>"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_policy_table),
		cmocka_unit_test(test_policy_lengths),
		cmocka_unit_test(test_hash_verify_rehash),
		cmocka_unit_test(test_tokens),
		cmocka_unit_test(test_email),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
