<?xml version="1.0" encoding="UTF-8"?>
<!--
  home.xsl - the home page: a short welcome and the home.blocks slot, where
  plugins add their own blocks (latest labs, upcoming events, ...).
  Its XML: <home><slot name="home.blocks">...</slot></home>
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:ln="urn:labnet:xslt"
    exclude-result-prefixes="ln">
  <xsl:import href="labnet:layout.xsl"/>

  <xsl:template match="home" mode="title">
    <xsl:value-of select="ln:t('home.title')"/>
  </xsl:template>

  <xsl:template match="home">
    <h1><xsl:value-of select="ln:t('home.title')"/></h1>
    <p class="lead"><xsl:value-of select="ln:t('home.intro')"/></p>
    <xsl:apply-templates select="slot"/>
  </xsl:template>
</xsl:stylesheet>
