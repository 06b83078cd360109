<?xml version="1.0" encoding="UTF-8"?>
<!--
  call.xsl - one open call. Its XML:
    <opencall><call slug=".."><title/><kind/><organiser/><deadline/>
      <body/><url/></call></opencall>
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:ln="urn:labnet:xslt"
    exclude-result-prefixes="ln">
  <xsl:import href="labnet:layout.xsl"/>
  <xsl:import href="kinds.xsl"/>

  <xsl:template match="opencall" mode="title">
    <xsl:value-of select="call/title"/>
  </xsl:template>

  <xsl:template match="opencall">
    <article class="opencall">
      <h1><xsl:value-of select="call/title"/></h1>
      <p>
        <xsl:call-template name="kind-label"><xsl:with-param name="kind" select="call/kind"/></xsl:call-template>
        <xsl:text> · </xsl:text>
        <xsl:value-of select="ln:t('opencalls.organiser', call/organiser)"/>
        <xsl:text> · </xsl:text>
        <time datetime="{call/deadline}">
          <xsl:value-of select="ln:t('opencalls.deadline', call/deadline)"/>
        </time>
      </p>
      <p><xsl:value-of select="call/body"/></p>
      <xsl:if test="call/url">
        <p><a href="{call/url}" rel="external"><xsl:value-of select="ln:t('opencalls.apply')"/></a></p>
      </xsl:if>
      <p><a href="{ln:url('/calls')}"><xsl:value-of select="ln:t('opencalls.back')"/></a></p>
    </article>
  </xsl:template>
</xsl:stylesheet>
