<?xml version="1.0" encoding="UTF-8"?>
<!--
  lab-history.xsl - a lab's revisions (GET /labs/{slug}/history).

  Input (plugins/labs/review.c), newest first:

      <lab-history slug="x">
        <name>the lab's name</name>
        <revision at="YYYY-MM-DD HH:MM" action="create|update|approve|..." by="user's name">
          <change field="city"><old>Milano</old><new>Torino</new></change>...
        </revision>...
      </lab-history>
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:ln="urn:labnet:xslt"
    exclude-result-prefixes="ln">

  <xsl:import href="labnet:layout.xsl"/>

  <xsl:template match="lab-history" mode="title">
    <xsl:value-of select="ln:t('labs.history.title', name)"/>
  </xsl:template>

  <xsl:template match="lab-history">
    <h1><xsl:value-of select="ln:t('labs.history.title', name)"/></h1>
    <p><a href="{ln:url(concat('/labs/', @slug, '/edit'))}"><xsl:value-of select="ln:t('labs.history.back')"/></a></p>
    <ol class="lab-history">
      <xsl:for-each select="revision">
        <li class="lab-revision">
          <p class="lab-revision-head">
            <xsl:value-of select="ln:t('labs.history.entry', @at, @by)"/>
            <xsl:text> · </xsl:text>
            <strong class="lab-revision-action">
              <xsl:choose>
                <xsl:when test="@action = 'create'"><xsl:value-of select="ln:t('labs.action.create')"/></xsl:when>
                <xsl:when test="@action = 'update'"><xsl:value-of select="ln:t('labs.action.update')"/></xsl:when>
                <xsl:when test="@action = 'approve'"><xsl:value-of select="ln:t('labs.action.approve')"/></xsl:when>
                <xsl:when test="@action = 'reject'"><xsl:value-of select="ln:t('labs.action.reject')"/></xsl:when>
                <xsl:when test="@action = 'archive'"><xsl:value-of select="ln:t('labs.action.archive')"/></xsl:when>
                <xsl:when test="@action = 'submit'"><xsl:value-of select="ln:t('labs.action.submit')"/></xsl:when>
                <xsl:when test="@action = 'restore'"><xsl:value-of select="ln:t('labs.action.restore')"/></xsl:when>
                <xsl:otherwise><xsl:value-of select="@action"/></xsl:otherwise>
              </xsl:choose>
            </strong>
          </p>
          <xsl:if test="change">
            <table class="lab-changes">
              <thead>
                <tr>
                  <th scope="col"><xsl:value-of select="ln:t('labs.history.field')"/></th>
                  <th scope="col"><xsl:value-of select="ln:t('labs.history.old')"/></th>
                  <th scope="col"><xsl:value-of select="ln:t('labs.history.new')"/></th>
                </tr>
              </thead>
              <tbody>
                <xsl:for-each select="change">
                  <tr>
                    <th scope="row"><xsl:value-of select="@field"/></th>
                    <td class="lab-change-old"><xsl:value-of select="old"/></td>
                    <td class="lab-change-new"><xsl:value-of select="new"/></td>
                  </tr>
                </xsl:for-each>
              </tbody>
            </table>
          </xsl:if>
        </li>
      </xsl:for-each>
    </ol>
  </xsl:template>

</xsl:stylesheet>
