// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "fieldmessage.h"

#include <QPalette>

namespace brieflow::ui {

FieldMessage::FieldMessage(const QString &hint, QWidget *parent)
    : QLabel(parent)
    , m_hint(hint)
{
    setWordWrap(true);
    setTextFormat(Qt::PlainText);
    showHint();
}

void FieldMessage::showProblem(const QString &message)
{
    m_problem = true;
    // Colour never carries meaning alone: the mark says it too.
    setText(QStringLiteral("⚠ ") + message);
    QPalette p = palette();
    const bool dark = p.color(QPalette::Window).lightness() < 128;
    p.setColor(QPalette::WindowText, dark ? QColor(0xf2, 0xb8, 0xb5) : QColor(0xb3, 0x26, 0x1e));
    setPalette(p);
    setVisible(true);
}

void FieldMessage::showHint()
{
    m_problem = false;
    setText(m_hint);
    QPalette p = palette();
    p.setColor(QPalette::WindowText, p.color(QPalette::PlaceholderText));
    setPalette(p);
    setVisible(!m_hint.isEmpty());
}

} // namespace brieflow::ui
