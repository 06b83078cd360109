<?xml version="1.0" encoding="UTF-8"?>
<!--
  labs-pending.xsl - the admins' queue (GET /labs-pending): labs waiting
  for approval, each with approve and reject buttons (POST
  /labs/{slug}/status, with the CSRF token).

  Input (plugins/labs/review.c), oldest first:

      <labs-pending>
        <lab slug="x" country="IT" created="YYYY-MM-DD"><name/><institution/></lab>...
      </labs-pending>
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:ln="urn:labnet:xslt"
    exclude-result-prefixes="ln">

  <xsl:import href="labnet:layout.xsl"/>

  <xsl:template match="labs-pending" mode="title">
    <xsl:value-of select="ln:t('labs.queue.title')"/>
  </xsl:template>

  <xsl:template match="labs-pending">
    <h1><xsl:value-of select="ln:t('labs.queue.title')"/></h1>
    <xsl:if test="not(lab)">
      <p class="labs-queue-empty"><xsl:value-of select="ln:t('labs.queue.empty')"/></p>
    </xsl:if>
    <xsl:variable name="csrf" select="ln:csrf()"/>
    <ul class="labs-queue">
      <xsl:for-each select="lab">
        <li class="labs-queue-item" id="pending-{@slug}">
          <a href="{ln:url(concat('/labs/', @slug, '/edit'))}"><xsl:value-of select="name"/></a>
          <xsl:if test="normalize-space(institution) != ''">
            <xsl:text> · </xsl:text><xsl:value-of select="institution"/>
          </xsl:if>
          <xsl:text> · </xsl:text><xsl:value-of select="@country"/>
          <xsl:text> · </xsl:text><xsl:value-of select="@created"/>
          <form method="post" action="{ln:url(concat('/labs/', @slug, '/status'))}" class="form-inline">
            <input type="hidden" name="csrf" value="{$csrf}"/>
            <button type="submit" name="action" value="approve"><xsl:value-of select="ln:t('labs.queue.approve')"/></button>
            <xsl:text> </xsl:text>
            <button type="submit" name="action" value="reject"><xsl:value-of select="ln:t('labs.queue.reject')"/></button>
          </form>
        </li>
      </xsl:for-each>
    </ul>
  </xsl:template>

</xsl:stylesheet>
