<?xml version="1.0" encoding="UTF-8"?>
<!--
  hello.xsl - the hello plugin's page; copy it to start a view of your own.

  Input, built by the handler (plugins/hello/):

      <hello>
        <name>world</name>
        <known>true</known>             true or false
        <note>optional text</note>
        <slot name="hello.aside">...</slot>
      </hello>

  The layout (core/views/layout.xsl, read its opening comment) builds the
  page around what this view returns: <head>, header, navigation, language
  switcher, footer. A view only gives the title and the content. Texts come
  from plugins/hello/messages/<lang>.po through ln:t('key', args...);
  tools/check-messages checks that every key used here is translated.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:ln="urn:labnet:xslt"
    exclude-result-prefixes="ln">

  <!-- First, always: the site layout. -->
  <xsl:import href="labnet:layout.xsl"/>

  <!-- The <title>; the layout appends " · Labnet". -->
  <xsl:template match="hello" mode="title">
    <xsl:value-of select="ln:t('hello.greeting', name)"/>
  </xsl:template>

  <!-- The content of <main>: one h1, then the page. Values from the XML
       are text; the serializer escapes them. -->
  <xsl:template match="hello">
    <h1><xsl:value-of select="ln:t('hello.greeting', name)"/></h1>
    <xsl:choose>
      <xsl:when test="normalize-space(note) != ''">
        <p><xsl:value-of select="note"/></p>
      </xsl:when>
      <xsl:when test="known = 'true'">
        <p><xsl:value-of select="ln:t('hello.known')"/></p>
      </xsl:when>
      <xsl:otherwise>
        <p><xsl:value-of select="ln:t('hello.unknown')"/></p>
      </xsl:otherwise>
    </xsl:choose>
    <!-- What other plugins add to this page (the layout renders slots). -->
    <xsl:apply-templates select="slot"/>
  </xsl:template>

</xsl:stylesheet>
