<?xml version="1.0" encoding="UTF-8"?>
<!--
  error.xsl - the error page, for every status the core or a handler
  answers with (ln_fail()). Input:

      <error status="404"><message>optional text for the visitor</message></error>

  The title and the one-line explanation come from the catalogs
  (error.<status>.title, error.<status>.text) for the statuses listed in
  $error-known; any other 4xx shows the 400 texts, any other 5xx the 500
  ones. The status comes from @status, else from the ln-status parameter.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:ln="urn:labnet:xslt"
    exclude-result-prefixes="ln">

  <xsl:import href="labnet:layout.xsl"/>

  <!-- Statuses with texts of their own; tools/check-messages knows them. -->
  <xsl:variable name="error-known" select="' 400 401 403 404 405 413 429 500 503 '"/>

  <xsl:variable name="error-status">
    <xsl:choose>
      <xsl:when test="string(/error/@status) != ''">
        <xsl:value-of select="/error/@status"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:value-of select="$ln-status"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:variable>

  <!-- The status whose texts we show. -->
  <xsl:variable name="error-key">
    <xsl:choose>
      <xsl:when test="contains($error-known, concat(' ', $error-status, ' '))">
        <xsl:value-of select="$error-status"/>
      </xsl:when>
      <xsl:when test="number($error-status) &gt;= 500">500</xsl:when>
      <xsl:otherwise>400</xsl:otherwise>
    </xsl:choose>
  </xsl:variable>

  <xsl:template match="error" mode="title">
    <xsl:value-of select="ln:t(concat('error.', $error-key, '.title'))"/>
  </xsl:template>

  <xsl:template match="error">
    <div class="error-page">
      <p class="error-code">
        <xsl:value-of select="ln:t('error.code', string($error-status))"/>
      </p>
      <h1><xsl:value-of select="ln:t(concat('error.', $error-key, '.title'))"/></h1>
      <p><xsl:value-of select="ln:t(concat('error.', $error-key, '.text'))"/></p>
      <xsl:if test="normalize-space(message) != ''">
        <p class="error-message"><xsl:value-of select="message"/></p>
      </xsl:if>
      <p><a href="{ln:url('/')}"><xsl:value-of select="ln:t('error.home')"/></a></p>
    </div>
  </xsl:template>

</xsl:stylesheet>
