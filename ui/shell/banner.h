// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QFrame>

class QHBoxLayout;
class QLabel;
class QPushButton;

namespace brieflow::ui {

/**
 * A bar across the top of the window: an icon, a sentence and the buttons that act on it. Kinds
 * differ in colour and icon (colour never carries the meaning alone): Warning (amber: demo mode,
 * the queue paused for the token or billing) and Error (red: the engine could not start).
 */
class Banner final : public QFrame {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Banner)

public:
    enum class Kind { Warning, Error };

    explicit Banner(Kind kind, QWidget *parent = nullptr);

    void setKind(Kind kind);
    void setText(const QString &text);
    QString text() const;
    /** Adds a button at the end of the bar; its clicks are the caller's to connect. */
    QPushButton *addButton(const QString &text, const QString &toolTip = {});
    /** Removes every button added so far. */
    void clearButtons();
    QList<QPushButton *> buttons() const;

private:
    void applyPalette();

    Kind m_kind;
    QLabel *m_icon = nullptr;
    QLabel *m_text = nullptr;
    QHBoxLayout *m_buttons = nullptr;
};

} // namespace brieflow::ui
