// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The template language shared by parseWorkflow() (validation) and renderStepInput()
// (rendering). Private to core/workflow.

#include <QList>
#include <QString>
#include <QStringList>
#include <QStringView>

namespace brieflow::workflowtemplate {

/** One piece of a template string. */
struct Tag {
    enum class Kind {
        Text,     ///< literal text
        Value,    ///< {{path}}
        Section,  ///< {{#path}}: what follows renders when the value is present and non-empty
        Inverted, ///< {{^path}}: what follows renders when the value is absent or empty
        End,      ///< {{/path}}
    };
    Kind kind = Kind::Text;
    QString text; ///< the literal text, or the trimmed path
};

struct Tokens {
    QList<Tag> tags;
    QString error; ///< non-empty when the string is not a well-formed template
};

/**
 * Splits @p text into tags and checks that sections are balanced. A string without "{{" is one
 * Text tag. Tags may have spaces inside the braces ("{{ brief.tone }}").
 */
Tokens tokenize(QStringView text);

/** True when @p text contains a "{{" at all. */
bool hasTags(QStringView text);

/** What a template of one step may refer to. */
struct Scope {
    QString self;
    QStringList earlierTextSteps;  ///< have a text output
    QStringList earlierOtherSteps; ///< exist and run earlier, but have no text output
    QStringList laterSteps;
};

/**
 * Problems with the placeholders of one template string, as plain sentences: unknown paths,
 * steps that can't be used, optional brief fields outside their own section, and tokenizer
 * errors. Empty when the string is fine.
 */
QStringList problems(QStringView text, const Scope &scope);

/** The brief fields templates may use, as "brief.…" paths. */
QStringList briefPaths();

/** Brief fields that may be empty in a valid brief (tone, brand notes). */
bool isOptionalBriefPath(const QString &path);

/** "concept" for "steps.concept.output", otherwise empty. */
QString stepOfPath(const QString &path);

} // namespace brieflow::workflowtemplate
