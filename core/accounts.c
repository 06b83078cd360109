/*
 * accounts.c - users' passwords and tokens: the password policy (length,
 * then libpwquality's dictionary and similarity checks), argon2id hashing
 * with the configured limits (libsodium), random tokens and their hashes,
 * and the core's way to the database from any plugin's request.
 *
 * Owns no state but libpwquality's settings, made once per process and
 * used under a mutex (cracklib is not known to be thread-safe).
 */
#include "accounts.h"

#include <pthread.h>
#include <string.h>

#include <pwquality.h>
#include <sodium.h>

#include "log.h"
#include "url.h"

static pthread_once_t pwq_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t pwq_lock = PTHREAD_MUTEX_INITIALIZER;
static pwquality_settings_t *pwq_settings;
static pwquality_settings_t *pwq_core_settings;	/* for the stripped core */

static void
pwq_setup(void)
{
	pwq_settings = pwquality_default_settings();
	if (pwq_settings == NULL)
		return;
	/* The system's pwquality.conf would make the rules depend on the
	 * host; ours are the project's: length 12..128 is checked before. */
	pwquality_set_int_value(pwq_settings, PWQ_SETTING_MIN_LENGTH,
	    ACCOUNT_PASSWORD_MIN);
	pwquality_set_int_value(pwq_settings, PWQ_SETTING_DICT_CHECK, 1);
	pwquality_set_int_value(pwq_settings, PWQ_SETTING_USER_CHECK, 1);
	pwq_core_settings = pwquality_default_settings();
	if (pwq_core_settings != NULL)
		pwquality_set_int_value(pwq_core_settings, PWQ_SETTING_MIN_LENGTH, 6);
}

/*
 * cracklib takes "password1234" for strong: it looks the whole string up.
 * So the core also looks up the password without its leading and trailing
 * digits, punctuation and spaces (the usual padding of a weak word), and
 * refuses it when what is left is a dictionary word. Called under pwq_lock.
 */
static int
pwq_padded_word(const char *password)
{
	char core[ACCOUNT_PASSWORD_MAX + 1];
	size_t start = 0, end = strlen(password);
	void *aux = NULL;

	while (start < end && !((password[start] | 0x20) >= 'a' &&
	    (password[start] | 0x20) <= 'z') && !((unsigned char)password[start] & 0x80))
		start++;
	while (end > start && !((password[end - 1] | 0x20) >= 'a' &&
	    (password[end - 1] | 0x20) <= 'z') && !((unsigned char)password[end - 1] & 0x80))
		end--;
	if (pwq_core_settings == NULL || end - start < 6 ||
	    (start == 0 && password[end] == '\0') || end - start > ACCOUNT_PASSWORD_MAX)
		return 0;
	memcpy(core, password + start, end - start);
	core[end - start] = '\0';
	return pwquality_check(pwq_core_settings, core, NULL, NULL, &aux) ==
	    PWQ_ERROR_CRACKLIB_CHECK;
}

int
account_password_policy(const char *password, const char *email,
    const char *name, const char **why)
{
	char reason[256];
	void *aux = NULL;
	size_t len = strlen(password);
	int rc;

	if (len < ACCOUNT_PASSWORD_MIN) {
		*why = "account.password.short";
		return -1;
	}
	if (len > ACCOUNT_PASSWORD_MAX) {
		*why = "account.password.long";
		return -1;
	}
	if (!url_utf8_valid(password, len)) {
		*why = "account.password.weak";
		return -1;
	}
	pthread_once(&pwq_once, pwq_setup);
	if (pwq_settings == NULL) {
		log_errx("libpwquality could not be set up; refusing passwords");
		*why = "account.password.weak";
		return -1;
	}
	pthread_mutex_lock(&pwq_lock);
	/* The old password is unknown here; the user name stands for the
	 * email and the display name is checked by a second call. */
	rc = pwquality_check(pwq_settings, password, NULL, email, &aux);
	if (rc >= 0 && name != NULL && name[0] != '\0')
		rc = pwquality_check(pwq_settings, password, NULL, name, &aux);
	if (rc >= 0 && pwq_padded_word(password))
		rc = PWQ_ERROR_CRACKLIB_CHECK;
	/* With a buffer of ours: pwquality_strerror's own is static, and aux
	 * may point into cracklib's, so it is read under the lock. */
	if (rc < 0)
		pwquality_strerror(reason, sizeof(reason), rc, aux);
	pthread_mutex_unlock(&pwq_lock);
	if (rc < 0) {
		log_debug("password refused: %s", reason);
		*why = "account.password.weak";
		return -1;
	}
	return 0;
}

int
account_password_hash(const struct config *cfg, const char *password,
    char *out)
{
	if (crypto_pwhash_str(out, password, strlen(password),
	    (unsigned long long)cfg->password_opslimit,
	    cfg->password_memlimit) != 0) {
		log_errx("crypto_pwhash_str failed (out of memory?)");
		return -1;
	}
	return 0;
}

int
account_password_verify(const struct config *cfg, const char *hash,
    const char *password, int *rehash)
{
	*rehash = 0;
	if (hash == NULL || hash[0] == '\0')
		return 0;
	if (crypto_pwhash_str_verify(hash, password, strlen(password)) != 0)
		return 0;
	*rehash = crypto_pwhash_str_needs_rehash(hash,
	    (unsigned long long)cfg->password_opslimit,
	    cfg->password_memlimit) != 0;
	return 1;
}

void
account_token_hash(const char *token, char *hash)
{
	unsigned char digest[32];

	crypto_generichash(digest, sizeof(digest), (const unsigned char *)token,
	    strlen(token), NULL, 0);
	sodium_bin2hex(hash, 65, digest, sizeof(digest));
}

void
account_token_new(char *out, char *hash)
{
	unsigned char raw[16];

	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(out, 33, raw, sizeof(raw));
	sodium_memzero(raw, sizeof(raw));
	account_token_hash(out, hash);
}

int
account_email_ok(const char *email)
{
	size_t len = strlen(email), i;
	const char *at = strchr(email, '@');

	if (len < 3 || len > 254 || at == NULL || at == email ||
	    at[1] == '\0' || strchr(at + 1, '@') != NULL)
		return 0;
	for (i = 0; i < len; i++)
		if ((unsigned char)email[i] <= ' ' || email[i] == 0x7f ||
		    email[i] == '<' || email[i] == '>' || email[i] == ',')
			return 0;
	return url_utf8_valid(email, len);
}

PGresult *
account_db(struct ln_request *req, const ln_sql *sql, const char *const *values)
{
	struct plugin *running = req->plugin;
	PGresult *res;

	req->plugin = NULL;
	res = ln_db(req, sql, values);
	req->plugin = running;
	return res;
}
