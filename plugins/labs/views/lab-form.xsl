<?xml version="1.0" encoding="UTF-8"?>
<!--
  lab-form.xsl - the lab form (GET/POST /labs/new, /labs/{slug}/edit).

  Input (plugins/labs/edit.c):

      <lab-form mode="new|edit" slug="current slug (edit)" status="draft|pending|published|archived (edit)">
        <kinds><kind key="fab-lab">label</kind>...</kinds>
        <form>
          <field name="slug" error="translated reason (optional)">as typed</field>
          ...
        </form>
      </lab-form>

  What was typed comes back in the fields; values are text nodes and
  attributes, so the serializer escapes them. The form carries the CSRF token.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:ln="urn:labnet:xslt"
    exclude-result-prefixes="ln">

  <xsl:import href="labnet:layout.xsl"/>

  <xsl:template match="lab-form" mode="title">
    <xsl:choose>
      <xsl:when test="@mode = 'new'"><xsl:value-of select="ln:t('labs.form.new')"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="ln:t('labs.form.edit', form/field[@name = 'name'])"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="lab-form">
    <h1><xsl:apply-templates select="." mode="title"/></h1>
    <xsl:choose>
      <xsl:when test="@mode = 'new'">
        <p class="lab-form-intro"><xsl:value-of select="ln:t('labs.form.pending')"/></p>
      </xsl:when>
      <xsl:otherwise>
        <ul class="lab-form-links">
          <li><a href="{ln:url(concat('/labs/', @slug))}"><xsl:value-of select="ln:t('labs.form.view')"/></a></li>
          <li><a href="{ln:url(concat('/labs/', @slug, '/history'))}"><xsl:value-of select="ln:t('labs.form.history')"/></a></li>
        </ul>
        <p class="lab-status">
          <xsl:choose>
            <xsl:when test="@status = 'draft'"><xsl:value-of select="ln:t('labs.status.draft')"/></xsl:when>
            <xsl:when test="@status = 'pending'"><xsl:value-of select="ln:t('labs.status.pending')"/></xsl:when>
            <xsl:when test="@status = 'published'"><xsl:value-of select="ln:t('labs.status.published')"/></xsl:when>
            <xsl:otherwise><xsl:value-of select="ln:t('labs.status.archived')"/></xsl:otherwise>
          </xsl:choose>
        </p>
      </xsl:otherwise>
    </xsl:choose>
    <xsl:if test="form/field[@error]">
      <p class="form-error" role="alert"><xsl:value-of select="ln:t('labs.form.errors')"/></p>
    </xsl:if>
    <xsl:variable name="action">
      <xsl:choose>
        <xsl:when test="@mode = 'new'">/labs/new</xsl:when>
        <xsl:otherwise><xsl:value-of select="concat('/labs/', @slug, '/edit')"/></xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <form method="post" action="{ln:url($action)}" class="form lab-form">
      <input type="hidden" name="csrf" value="{ln:csrf()}"/>
      <xsl:call-template name="text"><xsl:with-param name="f" select="form/field[@name = 'name']"/><xsl:with-param name="label" select="ln:t('labs.field.name')"/><xsl:with-param name="required" select="true()"/></xsl:call-template>
      <xsl:call-template name="text"><xsl:with-param name="f" select="form/field[@name = 'slug']"/><xsl:with-param name="label" select="ln:t('labs.field.slug')"/><xsl:with-param name="required" select="true()"/></xsl:call-template>
      <xsl:call-template name="text"><xsl:with-param name="f" select="form/field[@name = 'institution']"/><xsl:with-param name="label" select="ln:t('labs.field.institution')"/></xsl:call-template>
      <p class="field">
        <label for="lab-kind"><xsl:value-of select="ln:t('labs.field.kind')"/></label>
        <select id="lab-kind" name="kind">
          <xsl:variable name="kind" select="form/field[@name = 'kind']"/>
          <xsl:for-each select="kinds/kind">
            <option value="{@key}">
              <xsl:if test="@key = $kind"><xsl:attribute name="selected">selected</xsl:attribute></xsl:if>
              <xsl:value-of select="."/>
            </option>
          </xsl:for-each>
        </select>
        <xsl:apply-templates select="form/field[@name = 'kind']/@error"/>
      </p>
      <xsl:call-template name="text"><xsl:with-param name="f" select="form/field[@name = 'country']"/><xsl:with-param name="label" select="ln:t('labs.field.country')"/><xsl:with-param name="required" select="true()"/></xsl:call-template>
      <xsl:call-template name="text"><xsl:with-param name="f" select="form/field[@name = 'city']"/><xsl:with-param name="label" select="ln:t('labs.field.city')"/></xsl:call-template>
      <xsl:call-template name="text"><xsl:with-param name="f" select="form/field[@name = 'address']"/><xsl:with-param name="label" select="ln:t('labs.field.address')"/></xsl:call-template>
      <xsl:call-template name="text"><xsl:with-param name="f" select="form/field[@name = 'latitude']"/><xsl:with-param name="label" select="ln:t('labs.field.latitude')"/></xsl:call-template>
      <xsl:call-template name="text"><xsl:with-param name="f" select="form/field[@name = 'longitude']"/><xsl:with-param name="label" select="ln:t('labs.field.longitude')"/></xsl:call-template>
      <xsl:call-template name="text"><xsl:with-param name="f" select="form/field[@name = 'website']"/><xsl:with-param name="label" select="ln:t('labs.field.website')"/></xsl:call-template>
      <xsl:call-template name="text"><xsl:with-param name="f" select="form/field[@name = 'email']"/><xsl:with-param name="label" select="ln:t('labs.field.email')"/></xsl:call-template>
      <xsl:call-template name="text"><xsl:with-param name="f" select="form/field[@name = 'phone']"/><xsl:with-param name="label" select="ln:t('labs.field.phone')"/></xsl:call-template>
      <xsl:call-template name="area"><xsl:with-param name="f" select="form/field[@name = 'description']"/><xsl:with-param name="label" select="ln:t('labs.field.description')"/></xsl:call-template>
      <xsl:call-template name="area"><xsl:with-param name="f" select="form/field[@name = 'equipment']"/><xsl:with-param name="label" select="ln:t('labs.field.equipment')"/></xsl:call-template>
      <xsl:call-template name="text"><xsl:with-param name="f" select="form/field[@name = 'disciplines']"/><xsl:with-param name="label" select="ln:t('labs.field.disciplines')"/></xsl:call-template>
      <xsl:call-template name="text"><xsl:with-param name="f" select="form/field[@name = 'facilities']"/><xsl:with-param name="label" select="ln:t('labs.field.facilities')"/></xsl:call-template>
      <xsl:call-template name="text"><xsl:with-param name="f" select="form/field[@name = 'languages']"/><xsl:with-param name="label" select="ln:t('labs.field.languages')"/></xsl:call-template>
      <p class="field-hint"><xsl:value-of select="ln:t('labs.form.lists')"/></p>
      <p><button type="submit"><xsl:value-of select="ln:t('labs.form.save')"/></button></p>
    </form>
    <xsl:if test="@mode = 'edit' and @status = 'draft'">
      <form method="post" action="{ln:url(concat('/labs/', @slug, '/status'))}" class="form lab-submit">
        <input type="hidden" name="csrf" value="{ln:csrf()}"/>
        <p><button type="submit" name="action" value="submit"><xsl:value-of select="ln:t('labs.form.submit')"/></button></p>
      </form>
    </xsl:if>
    <xsl:if test="@mode = 'edit' and @status != 'archived'">
      <form method="post" action="{ln:url(concat('/labs/', @slug, '/status'))}" class="form lab-archive">
        <input type="hidden" name="csrf" value="{ln:csrf()}"/>
        <p><button type="submit" name="action" value="archive"><xsl:value-of select="ln:t('labs.form.archive')"/></button></p>
      </form>
    </xsl:if>
  </xsl:template>

  <xsl:template match="@error">
    <span class="field-error" id="lab-{../@name}-error"><xsl:value-of select="."/></span>
  </xsl:template>

  <xsl:template name="text">
    <xsl:param name="f"/>
    <xsl:param name="label"/>
    <xsl:param name="required" select="false()"/>
    <p class="field">
      <label for="lab-{$f/@name}"><xsl:value-of select="$label"/></label>
      <input type="text" id="lab-{$f/@name}" name="{$f/@name}" value="{$f}">
        <xsl:if test="$required"><xsl:attribute name="required">required</xsl:attribute></xsl:if>
        <xsl:if test="$f/@error">
          <xsl:attribute name="aria-invalid">true</xsl:attribute>
          <xsl:attribute name="aria-describedby">lab-<xsl:value-of select="$f/@name"/>-error</xsl:attribute>
        </xsl:if>
      </input>
      <xsl:apply-templates select="$f/@error"/>
    </p>
  </xsl:template>

  <xsl:template name="area">
    <xsl:param name="f"/>
    <xsl:param name="label"/>
    <p class="field">
      <label for="lab-{$f/@name}"><xsl:value-of select="$label"/></label>
      <textarea id="lab-{$f/@name}" name="{$f/@name}" rows="6">
        <xsl:if test="$f/@error">
          <xsl:attribute name="aria-invalid">true</xsl:attribute>
          <xsl:attribute name="aria-describedby">lab-<xsl:value-of select="$f/@name"/>-error</xsl:attribute>
        </xsl:if>
        <xsl:value-of select="$f"/>
      </textarea>
      <xsl:apply-templates select="$f/@error"/>
    </p>
  </xsl:template>

</xsl:stylesheet>
