<?xml version="1.0" encoding="UTF-8"?>
<!--
  account.xsl - the pages of the accounts service (core/accountpages.c),
  one template per root element:

    <sign-in><next/><email/>?<error>key</error>?</sign-in>
    <account><email/><name/><role/><message/>?<error/>?</account>
    <set-password purpose="invite|reset"><email/><name/><error/>?</set-password>
    <users me="id"><user id="" role="" disabled="" password=""><email/><name/>
        <created/><last-login/></user>*</users>
    <invite><email/>?<name/>?<role/>?<error/>?</invite>
    <link-issued purpose="invite|reset"><email/><url/><expires/>
        <mail>sent|none|failed</mail></link-issued>
    <audit><entry at="" action=""><actor/><actor-email/><subject/>
        <subject-email/><detail/><client/></entry>*</audit>

  <error> and <message> hold message keys, never text. Every form that
  POSTs carries the session's CSRF token: <input type="hidden" name="csrf"
  value="{ln:csrf()}"/>.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:ln="urn:labnet:xslt"
    exclude-result-prefixes="ln">

  <xsl:import href="labnet:layout.xsl"/>

  <!-- A message key from the handler, shown as an alert. -->
  <xsl:template name="account-error">
    <xsl:if test="error != ''">
      <p class="form-error" role="alert">
        <xsl:choose>
          <xsl:when test="error = 'account.sign-in.failed'">
            <xsl:value-of select="ln:t('account.sign-in.failed')"/>
          </xsl:when>
          <xsl:when test="error = 'account.password.short'">
            <xsl:value-of select="ln:t('account.password.short')"/>
          </xsl:when>
          <xsl:when test="error = 'account.password.long'">
            <xsl:value-of select="ln:t('account.password.long')"/>
          </xsl:when>
          <xsl:when test="error = 'account.password.wrong'">
            <xsl:value-of select="ln:t('account.password.wrong')"/>
          </xsl:when>
          <xsl:when test="error = 'account.email.invalid'">
            <xsl:value-of select="ln:t('account.email.invalid')"/>
          </xsl:when>
          <xsl:when test="error = 'account.email.taken'">
            <xsl:value-of select="ln:t('account.email.taken')"/>
          </xsl:when>
          <xsl:otherwise>
            <xsl:value-of select="ln:t('account.password.weak')"/>
          </xsl:otherwise>
        </xsl:choose>
      </p>
    </xsl:if>
  </xsl:template>

  <xsl:template name="account-csrf">
    <input type="hidden" name="csrf" value="{ln:csrf()}"/>
  </xsl:template>

  <xsl:template name="account-role">
    <xsl:param name="role"/>
    <xsl:choose>
      <xsl:when test="$role = 'admin'">
        <xsl:value-of select="ln:t('account.role.admin')"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:value-of select="ln:t('account.role.editor')"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- A new-password field with its rules. -->
  <xsl:template name="account-new-password">
    <p class="field">
      <label for="password"><xsl:value-of select="ln:t('account.password.new')"/></label>
      <input id="password" name="password" type="password" required="required"
          minlength="12" maxlength="128" autocomplete="new-password"
          aria-describedby="password-rules"/>
      <span id="password-rules" class="field-help">
        <xsl:value-of select="ln:t('account.password.rules')"/>
      </span>
    </p>
  </xsl:template>

  <!-- ======================================================== sign-in -->

  <xsl:template match="sign-in" mode="title">
    <xsl:value-of select="ln:t('account.sign-in')"/>
  </xsl:template>

  <xsl:template match="sign-in">
    <h1><xsl:value-of select="ln:t('account.sign-in')"/></h1>
    <xsl:call-template name="account-error"/>
    <form method="post" action="{ln:url('/sign-in')}" class="form">
      <xsl:call-template name="account-csrf"/>
      <input type="hidden" name="next" value="{next}"/>
      <p class="field">
        <label for="email"><xsl:value-of select="ln:t('account.email')"/></label>
        <input id="email" name="email" type="email" required="required"
            autocomplete="username" value="{email}"/>
      </p>
      <p class="field">
        <label for="password"><xsl:value-of select="ln:t('account.password')"/></label>
        <input id="password" name="password" type="password" required="required"
            autocomplete="current-password"/>
      </p>
      <p><button type="submit"><xsl:value-of select="ln:t('account.sign-in')"/></button></p>
    </form>
  </xsl:template>

  <!-- ======================================================== account -->

  <xsl:template match="account" mode="title">
    <xsl:value-of select="ln:t('account.title')"/>
  </xsl:template>

  <xsl:template match="account">
    <h1><xsl:value-of select="ln:t('account.title')"/></h1>
    <p>
      <xsl:variable name="role">
        <xsl:call-template name="account-role">
          <xsl:with-param name="role" select="role"/>
        </xsl:call-template>
      </xsl:variable>
      <xsl:value-of select="ln:t('account.signed-in-as', string(name), string(email), string($role))"/>
    </p>
    <xsl:if test="contains($ln-query, 'changed=1')">
      <p class="form-ok" role="status"><xsl:value-of select="ln:t('account.password.changed')"/></p>
    </xsl:if>
    <xsl:call-template name="account-error"/>

    <section aria-labelledby="password-heading">
      <h2 id="password-heading"><xsl:value-of select="ln:t('account.password.change')"/></h2>
      <form method="post" action="{ln:url('/account/password')}" class="form">
        <xsl:call-template name="account-csrf"/>
        <p class="field">
          <label for="current"><xsl:value-of select="ln:t('account.password.current')"/></label>
          <input id="current" name="current" type="password" required="required"
              autocomplete="current-password"/>
        </p>
        <xsl:call-template name="account-new-password"/>
        <p><button type="submit"><xsl:value-of select="ln:t('account.save')"/></button></p>
      </form>
    </section>

    <section aria-labelledby="data-heading">
      <h2 id="data-heading"><xsl:value-of select="ln:t('account.data.title')"/></h2>
      <p><xsl:value-of select="ln:t('account.data.text')"/></p>
      <p><a href="{$ln-base}/account/data" download="labnet-my-data.json">
        <xsl:value-of select="ln:t('account.data.download')"/>
      </a></p>
    </section>

    <section aria-labelledby="delete-heading">
      <h2 id="delete-heading"><xsl:value-of select="ln:t('account.delete.title')"/></h2>
      <p><xsl:value-of select="ln:t('account.delete.text')"/></p>
      <form method="post" action="{ln:url('/account/delete')}" class="form">
        <xsl:call-template name="account-csrf"/>
        <p class="field">
          <label for="delete-current"><xsl:value-of select="ln:t('account.password.current')"/></label>
          <input id="delete-current" name="current" type="password" required="required"
              autocomplete="current-password"/>
        </p>
        <p><button type="submit" class="danger"><xsl:value-of select="ln:t('account.delete.button')"/></button></p>
      </form>
    </section>
  </xsl:template>

  <!-- =================================================== set-password -->

  <xsl:template match="set-password" mode="title">
    <xsl:choose>
      <xsl:when test="@purpose = 'invite'">
        <xsl:value-of select="ln:t('account.set-password.invite', string(name))"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:value-of select="ln:t('account.set-password.reset')"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="set-password">
    <h1><xsl:apply-templates select="." mode="title"/></h1>
    <p><xsl:value-of select="ln:t('account.set-password.text', string(email))"/></p>
    <xsl:call-template name="account-error"/>
    <form method="post" action="{$ln-base}/{$ln-lang}{$ln-path}" class="form">
      <xsl:call-template name="account-csrf"/>
      <xsl:call-template name="account-new-password"/>
      <p><button type="submit"><xsl:value-of select="ln:t('account.save')"/></button></p>
    </form>
  </xsl:template>

  <!-- ========================================================== users -->

  <xsl:template name="account-admin-nav">
    <nav class="admin-nav" aria-label="{ln:t('account.nav.admin')}">
      <ul>
        <li><a href="{ln:url('/admin/users')}"><xsl:value-of select="ln:t('account.users.title')"/></a></li>
        <li><a href="{ln:url('/admin/invite')}"><xsl:value-of select="ln:t('account.invite.title')"/></a></li>
        <li><a href="{ln:url('/admin/audit')}"><xsl:value-of select="ln:t('account.audit.title')"/></a></li>
      </ul>
    </nav>
  </xsl:template>

  <xsl:template match="users" mode="title">
    <xsl:value-of select="ln:t('account.users.title')"/>
  </xsl:template>

  <xsl:template match="users">
    <h1><xsl:value-of select="ln:t('account.users.title')"/></h1>
    <xsl:call-template name="account-admin-nav"/>
    <table class="data">
      <thead>
        <tr>
          <th scope="col"><xsl:value-of select="ln:t('account.name')"/></th>
          <th scope="col"><xsl:value-of select="ln:t('account.email')"/></th>
          <th scope="col"><xsl:value-of select="ln:t('account.users.role')"/></th>
          <th scope="col"><xsl:value-of select="ln:t('account.users.state')"/></th>
          <th scope="col"><xsl:value-of select="ln:t('account.users.last-login')"/></th>
          <th scope="col"><xsl:value-of select="ln:t('account.users.actions')"/></th>
        </tr>
      </thead>
      <tbody>
        <xsl:apply-templates select="user"/>
      </tbody>
    </table>
  </xsl:template>

  <xsl:template match="user">
    <xsl:variable name="base" select="concat($ln-base, '/', $ln-lang, '/admin/users/', @id)"/>
    <tr>
      <td><xsl:value-of select="name"/></td>
      <td><xsl:value-of select="email"/></td>
      <td>
        <form method="post" action="{$base}/role" class="inline-form">
          <xsl:call-template name="account-csrf"/>
          <select name="role" aria-label="{ln:t('account.users.role')}">
            <option value="editor">
              <xsl:if test="@role = 'editor'"><xsl:attribute name="selected">selected</xsl:attribute></xsl:if>
              <xsl:value-of select="ln:t('account.role.editor')"/>
            </option>
            <option value="admin">
              <xsl:if test="@role = 'admin'"><xsl:attribute name="selected">selected</xsl:attribute></xsl:if>
              <xsl:value-of select="ln:t('account.role.admin')"/>
            </option>
          </select>
          <xsl:text> </xsl:text>
          <button type="submit"><xsl:value-of select="ln:t('account.users.set-role')"/></button>
        </form>
      </td>
      <td>
        <xsl:choose>
          <xsl:when test="@disabled = 'true'"><xsl:value-of select="ln:t('account.state.disabled')"/></xsl:when>
          <xsl:when test="@password = 'false'"><xsl:value-of select="ln:t('account.state.invited')"/></xsl:when>
          <xsl:otherwise><xsl:value-of select="ln:t('account.state.active')"/></xsl:otherwise>
        </xsl:choose>
      </td>
      <td><xsl:value-of select="last-login"/></td>
      <td>
        <xsl:if test="@id != /users/@me">
          <form method="post" action="{$base}/disable" class="inline-form">
            <xsl:call-template name="account-csrf"/>
            <xsl:choose>
              <xsl:when test="@disabled = 'true'">
                <input type="hidden" name="disabled" value="0"/>
                <button type="submit"><xsl:value-of select="ln:t('account.users.enable')"/></button>
              </xsl:when>
              <xsl:otherwise>
                <input type="hidden" name="disabled" value="1"/>
                <button type="submit"><xsl:value-of select="ln:t('account.users.disable')"/></button>
              </xsl:otherwise>
            </xsl:choose>
          </form>
        </xsl:if>
        <form method="post" action="{$base}/reset" class="inline-form">
          <xsl:call-template name="account-csrf"/>
          <button type="submit"><xsl:value-of select="ln:t('account.users.reset')"/></button>
        </form>
      </td>
    </tr>
  </xsl:template>

  <!-- ========================================================= invite -->

  <xsl:template match="invite" mode="title">
    <xsl:value-of select="ln:t('account.invite.title')"/>
  </xsl:template>

  <xsl:template match="invite">
    <h1><xsl:value-of select="ln:t('account.invite.title')"/></h1>
    <xsl:call-template name="account-admin-nav"/>
    <xsl:call-template name="account-error"/>
    <form method="post" action="{ln:url('/admin/invite')}" class="form">
      <xsl:call-template name="account-csrf"/>
      <p class="field">
        <label for="email"><xsl:value-of select="ln:t('account.email')"/></label>
        <input id="email" name="email" type="email" required="required" value="{email}"/>
      </p>
      <p class="field">
        <label for="name"><xsl:value-of select="ln:t('account.name')"/></label>
        <input id="name" name="name" type="text" required="required" maxlength="200" value="{name}"/>
      </p>
      <p class="field">
        <label for="role"><xsl:value-of select="ln:t('account.users.role')"/></label>
        <select id="role" name="role">
          <option value="editor"><xsl:value-of select="ln:t('account.role.editor')"/></option>
          <option value="admin">
            <xsl:if test="role = 'admin'"><xsl:attribute name="selected">selected</xsl:attribute></xsl:if>
            <xsl:value-of select="ln:t('account.role.admin')"/>
          </option>
        </select>
      </p>
      <p><button type="submit"><xsl:value-of select="ln:t('account.invite.button')"/></button></p>
    </form>
  </xsl:template>

  <!-- ==================================================== link-issued -->

  <xsl:template match="link-issued" mode="title">
    <xsl:choose>
      <xsl:when test="@purpose = 'invite'">
        <xsl:value-of select="ln:t('account.link.invite', string(email))"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:value-of select="ln:t('account.link.reset', string(email))"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="link-issued">
    <h1><xsl:apply-templates select="." mode="title"/></h1>
    <xsl:call-template name="account-admin-nav"/>
    <p><xsl:value-of select="ln:t('account.link.text', string(expires))"/></p>
    <p class="one-time-link"><a href="{url}"><xsl:value-of select="url"/></a></p>
    <p>
      <xsl:choose>
        <xsl:when test="mail = 'sent'"><xsl:value-of select="ln:t('account.link.mail.sent')"/></xsl:when>
        <xsl:when test="mail = 'failed'"><xsl:value-of select="ln:t('account.link.mail.failed')"/></xsl:when>
        <xsl:otherwise><xsl:value-of select="ln:t('account.link.mail.none')"/></xsl:otherwise>
      </xsl:choose>
    </p>
  </xsl:template>

  <!-- ========================================================== audit -->

  <xsl:template match="audit" mode="title">
    <xsl:value-of select="ln:t('account.audit.title')"/>
  </xsl:template>

  <xsl:template name="account-who">
    <xsl:param name="name"/>
    <xsl:param name="email"/>
    <xsl:choose>
      <xsl:when test="$name != '' and $email = ''">
        <xsl:value-of select="ln:t('account.former-member')"/>
      </xsl:when>
      <xsl:when test="$name != ''">
        <xsl:value-of select="concat($name, ' &lt;', $email, '&gt;')"/>
      </xsl:when>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="audit">
    <h1><xsl:value-of select="ln:t('account.audit.title')"/></h1>
    <xsl:call-template name="account-admin-nav"/>
    <table class="data">
      <thead>
        <tr>
          <th scope="col"><xsl:value-of select="ln:t('account.audit.time')"/></th>
          <th scope="col"><xsl:value-of select="ln:t('account.audit.action')"/></th>
          <th scope="col"><xsl:value-of select="ln:t('account.audit.actor')"/></th>
          <th scope="col"><xsl:value-of select="ln:t('account.audit.subject')"/></th>
          <th scope="col"><xsl:value-of select="ln:t('account.audit.detail')"/></th>
          <th scope="col"><xsl:value-of select="ln:t('account.audit.client')"/></th>
        </tr>
      </thead>
      <tbody>
        <xsl:for-each select="entry">
          <tr>
            <td><xsl:value-of select="@at"/></td>
            <td><code><xsl:value-of select="@action"/></code></td>
            <td>
              <xsl:call-template name="account-who">
                <xsl:with-param name="name" select="string(actor)"/>
                <xsl:with-param name="email" select="string(actor-email)"/>
              </xsl:call-template>
            </td>
            <td>
              <xsl:call-template name="account-who">
                <xsl:with-param name="name" select="string(subject)"/>
                <xsl:with-param name="email" select="string(subject-email)"/>
              </xsl:call-template>
            </td>
            <td><xsl:value-of select="detail"/></td>
            <td><xsl:value-of select="client"/></td>
          </tr>
        </xsl:for-each>
      </tbody>
    </table>
  </xsl:template>

</xsl:stylesheet>
