<?xml version="1.0" encoding="UTF-8"?>
<!--
  calls.xsl - the list of open calls. Its XML:
    <calls kind="grant?"><call slug=".."><title/><kind/><organiser/>
      <deadline>YYYY-MM-DD</deadline></call>...</calls>
  A GET form filters by kind: no state changes, so no CSRF token.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:ln="urn:labnet:xslt"
    exclude-result-prefixes="ln">
  <xsl:import href="labnet:layout.xsl"/>
  <xsl:import href="kinds.xsl"/>

  <xsl:template match="calls" mode="title">
    <xsl:value-of select="ln:t('opencalls.title')"/>
  </xsl:template>

  <xsl:template match="calls">
    <h1><xsl:value-of select="ln:t('opencalls.title')"/></h1>
    <p><xsl:value-of select="ln:t('opencalls.intro')"/></p>
    <form method="get" action="{ln:url('/calls')}" class="filter">
      <label for="kind"><xsl:value-of select="ln:t('opencalls.filter')"/></label>
      <xsl:text> </xsl:text>
      <select id="kind" name="kind">
        <option value=""><xsl:value-of select="ln:t('opencalls.filter.all')"/></option>
        <xsl:call-template name="kind-option"><xsl:with-param name="kind" select="'grant'"/></xsl:call-template>
        <xsl:call-template name="kind-option"><xsl:with-param name="kind" select="'residency'"/></xsl:call-template>
        <xsl:call-template name="kind-option"><xsl:with-param name="kind" select="'challenge'"/></xsl:call-template>
        <xsl:call-template name="kind-option"><xsl:with-param name="kind" select="'call'"/></xsl:call-template>
      </select>
      <xsl:text> </xsl:text>
      <button type="submit"><xsl:value-of select="ln:t('opencalls.filter.submit')"/></button>
    </form>
    <xsl:choose>
      <xsl:when test="call">
        <ul class="calls">
          <xsl:for-each select="call">
            <li>
              <a href="{ln:url(concat('/calls/', @slug))}"><xsl:value-of select="title"/></a>
              <xsl:text> · </xsl:text>
              <xsl:call-template name="kind-label"><xsl:with-param name="kind" select="kind"/></xsl:call-template>
              <xsl:text> · </xsl:text>
              <time datetime="{deadline}">
                <xsl:value-of select="ln:t('opencalls.deadline', deadline)"/>
              </time>
            </li>
          </xsl:for-each>
        </ul>
      </xsl:when>
      <xsl:otherwise>
        <p><xsl:value-of select="ln:t('opencalls.none')"/></p>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="kind-option">
    <xsl:param name="kind"/>
    <option value="{$kind}">
      <xsl:if test="/calls/@kind = $kind">
        <xsl:attribute name="selected">selected</xsl:attribute>
      </xsl:if>
      <xsl:call-template name="kind-label"><xsl:with-param name="kind" select="$kind"/></xsl:call-template>
    </option>
  </xsl:template>
</xsl:stylesheet>
