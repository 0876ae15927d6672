// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Helpers shared by the brief tests: readable dumps of issues and keyword checks.

#include <QStringList>
#include <QTest>

#include "core/brief/brief.h"

namespace brieflow::test {

/** "field: message" per line, for failure output. */
inline QString dump(const BriefIssues &issues)
{
    QStringList lines;
    for (const BriefIssue &issue : issues)
        lines.append(issue.field + QLatin1String(": ") + issue.message);
    return lines.join(QLatin1Char('\n'));
}

inline QStringList fieldsOf(const BriefIssues &issues)
{
    QStringList fields;
    for (const BriefIssue &issue : issues)
        fields.append(issue.field);
    return fields;
}

/**
 * Checks that @p issues concern exactly @p fields (in order) and that issue i's message contains
 * keywords[i] (case-insensitive); keywords may be shorter than fields. Fails the test if not.
 */
inline bool matches(const BriefIssues &issues, const QStringList &fields,
                    const QStringList &keywords, QString *why)
{
    if (fieldsOf(issues) != fields) {
        *why = QStringLiteral("expected fields [%1], got:\n%2")
                   .arg(fields.join(QLatin1String(", ")), dump(issues));
        return false;
    }
    for (qsizetype i = 0; i < keywords.size() && i < issues.size(); ++i) {
        if (!issues[i].message.contains(keywords[i], Qt::CaseInsensitive)) {
            *why = QStringLiteral("issue %1 should mention \"%2\":\n%3")
                       .arg(i)
                       .arg(keywords[i], dump(issues));
            return false;
        }
    }
    return true;
}

} // namespace brieflow::test

#define BRIEF_VERIFY_ISSUES(issues, fields, keywords)                                              \
    do {                                                                                           \
        QString why_;                                                                              \
        QVERIFY2(brieflow::test::matches((issues), (fields), (keywords), &why_),                   \
                 qPrintable(why_));                                                                \
    } while (false)
