//! The virtual pyboard: a picture of the board with its LEDs, switches and header pins, the
//! table of pins in use, and the devices on its I2C bus.

use leptos::html;
use leptos::prelude::*;

use crate::oled;
use crate::session::{BoardView, SessionRef};

/// The LEDs' colours, LED 1 to 4 (as on the pyboard).
const LED_COLOURS: [&str; 4] = ["#ff3b30", "#30d158", "#ffd60a", "#0a84ff"];
/// The pins along each long edge of the picture.
const HEADER_PINS: u32 = 12;

/// The panel on the right.
#[component]
pub fn BoardPanel(view: BoardView, session: SessionRef) -> impl IntoView {
    view! {
        <aside class="board-panel">
            <h2>"Virtual pyboard"</h2>
            <Pyboard view session />
            <PinTable view />
            <I2cDevices view session />
        </aside>
    }
}

/// The board's picture (SVG).
#[component]
fn Pyboard(view: BoardView, session: SessionRef) -> impl IntoView {
    let pressed = RwSignal::new(false);
    let press = move |down: bool| {
        if pressed.get_untracked() != down {
            pressed.set(down);
            session.get_value().press_switch(down);
        }
    };
    let pin_dot = move |name: String, x: f64, y: f64, label_x: f64, anchor: &'static str| {
        let level = {
            let name = name.clone();
            move || view.pins.with(|pins| pins.get(&name).copied())
        };
        let high = {
            let level = level.clone();
            move || level() == Some(true)
        };
        let used = move || level().is_some();
        view! {
            <g class="pin" class:used=used class:high=high>
                <title>{name.clone()}</title>
                <circle cx=x cy=y r="4.5"></circle>
                <text x=label_x y=y + 3.0 text-anchor=anchor>{name.clone()}</text>
            </g>
        }
    };
    let x_pins = (1..=HEADER_PINS)
        .map(|n| {
            pin_dot(
                format!("X{n}"),
                34.0,
                70.0 + 20.0 * f64::from(n - 1),
                44.0,
                "start",
            )
        })
        .collect_view();
    let y_pins = (1..=HEADER_PINS)
        .map(|n| {
            pin_dot(
                format!("Y{n}"),
                206.0,
                70.0 + 20.0 * f64::from(n - 1),
                196.0,
                "end",
            )
        })
        .collect_view();
    let leds = (0..4usize)
        .map(|i| {
            let intensity = move || view.leds.with(|leds| leds.get(i).copied().unwrap_or(0));
            let x = 78.0 + 28.0 * i as f64;
            view! {
                <g id=format!("led-{}", i + 1) class="led" data-intensity=intensity>
                    <title>{format!("LED {}", i + 1)}</title>
                    <circle
                        class="led-glow"
                        cx=x
                        cy="52"
                        r="11"
                        fill=LED_COLOURS[i]
                        fill-opacity=move || f64::from(intensity()) / 255.0 * 0.6
                        filter="url(#led-blur)"
                    ></circle>
                    <rect class="led-body" x=x - 6.0 y="48" width="12" height="8" rx="1.5"></rect>
                    <rect
                        x=x - 6.0
                        y="48"
                        width="12"
                        height="8"
                        rx="1.5"
                        fill=LED_COLOURS[i]
                        fill-opacity=move || f64::from(intensity()) / 255.0
                    ></rect>
                </g>
            }
        })
        .collect_view();
    view! {
        <svg class="pyboard" viewBox="0 0 240 330" role="img" aria-label="pyboard v1.1">
            <defs>
                <filter id="led-blur" x="-1" y="-1" width="3" height="3">
                    <feGaussianBlur stdDeviation="3"></feGaussianBlur>
                </filter>
            </defs>
            <rect class="pcb" x="16" y="22" width="208" height="298" rx="12"></rect>
            <rect class="usb" x="100" y="8" width="40" height="24" rx="3"></rect>
            <text class="silk" x="120" y="44" text-anchor="middle">"USB"</text>
            {leds}
            <g
                id="switch"
                class="button"
                class:pressed=move || pressed.get() || view.switch.get()
                // Holding the switch leaves the keyboard focus where it was (in the terminal).
                on:mousedown=|event| event.prevent_default()
                on:pointerdown=move |_| press(true)
                on:pointerup=move |_| press(false)
                on:pointerleave=move |_| press(false)
                on:pointercancel=move |_| press(false)
            >
                <title>"USR switch: press and hold"</title>
                <rect class="button-base" x="66" y="84" width="28" height="20" rx="2"></rect>
                <circle class="button-cap" cx="80" cy="94" r="6.5"></circle>
                <text class="silk" x="80" y="118" text-anchor="middle">"USR"</text>
            </g>
            <g id="reset" class="button" on:click=move |_| session.get_value().hard_reset()>
                <title>"RST: hard reset"</title>
                <rect class="button-base" x="146" y="84" width="28" height="20" rx="2"></rect>
                <circle class="button-cap" cx="160" cy="94" r="6.5"></circle>
                <text class="silk" x="160" y="118" text-anchor="middle">"RST"</text>
            </g>
            <rect class="mcu" x="84" y="150" width="72" height="72" rx="3"></rect>
            <text class="mcu-label" x="120" y="184" text-anchor="middle">"STM32"</text>
            <text class="mcu-label" x="120" y="196" text-anchor="middle">"F405RG"</text>
            <rect class="sd" x="92" y="250" width="56" height="40" rx="2"></rect>
            <text class="silk" x="120" y="274" text-anchor="middle">"SD"</text>
            {x_pins}
            {y_pins}
            <text class="silk title" x="120" y="310" text-anchor="middle">"pyboard v1.1"</text>
        </svg>
    }
}

/// The pins the board has reported, with their levels.
#[component]
fn PinTable(view: BoardView) -> impl IntoView {
    let rows = move || {
        let mut pins: Vec<(String, bool)> = view.pins.with(|pins| {
            pins.iter()
                .map(|(name, high)| (name.clone(), *high))
                .collect()
        });
        pins.sort_by_key(|pin| pin_order(&pin.0));
        pins
    };
    view! {
        <section class="pins-section">
            <h3>"Pins"</h3>
            <Show
                when=move || view.pins.with(|pins| !pins.is_empty())
                fallback=|| view! { <p class="hint">"No pin in use yet."</p> }
            >
                <table class="pins">
                    <thead>
                        <tr>
                            <th>"Pin"</th>
                            <th>"Level"</th>
                        </tr>
                    </thead>
                    <tbody>
                        <For
                            each=rows
                            key=|pin| pin.clone()
                            children=|(name, high)| {
                                let pin = name.clone();
                                view! {
                                    <tr data-pin=pin>
                                        <td>{name}</td>
                                        <td class="level" class:high=high>
                                            {if high { "1 (high)" } else { "0 (low)" }}
                                        </td>
                                    </tr>
                                }
                            }
                        />
                    </tbody>
                </table>
            </Show>
        </section>
    }
}

/// The devices on I2C bus 1, with the OLED's picture and the sensor's sliders.
#[component]
fn I2cDevices(view: BoardView, session: SessionRef) -> impl IntoView {
    let canvas = NodeRef::<html::Canvas>::new();
    Effect::new(move |_| {
        let ram = view.oled.get();
        if let Some(canvas) = canvas.get() {
            oled::draw(&canvas, ram.as_deref());
        }
    });
    let set_temp = move |ev| {
        if let Some(temp) = hundredths(&event_target_value(&ev)) {
            let humidity = view.humidity.get_untracked();
            session.get_value().set_climate(temp, humidity);
        }
    };
    let set_humidity = move |ev| {
        if let Some(humidity) = hundredths(&event_target_value(&ev)) {
            let temp = view.temp.get_untracked();
            session.get_value().set_climate(temp, humidity);
        }
    };
    view! {
        <section class="i2c">
            <h3>"I2C bus 1 " <span class="hint">"(X9 SCL, X10 SDA)"</span></h3>
            <ul class="devices">
                <li>
                    <span class="addr">"0x3C"</span>
                    <span class="device">"SSD1306 OLED, 128×64"</span>
                    <canvas id="oled" class="oled" width="128" height="64" node_ref=canvas></canvas>
                </li>
                <li>
                    <span class="addr">"0x42"</span>
                    <span class="device">"Register memory, 256 bytes"</span>
                </li>
                <li>
                    <span class="addr">"0x44"</span>
                    <span class="device">"SHT31 temperature and humidity sensor"</span>
                    <label class="slider">
                        <span>"Temperature"</span>
                        <input
                            id="temp"
                            type="range"
                            min="-40"
                            max="125"
                            step="0.5"
                            prop:value=move || format!("{}", f64::from(view.temp.get()) / 100.0)
                            on:input=set_temp
                            on:change=set_temp
                        />
                        <output>{move || format!("{:.1} °C", f64::from(view.temp.get()) / 100.0)}</output>
                    </label>
                    <label class="slider">
                        <span>"Humidity"</span>
                        <input
                            id="humidity"
                            type="range"
                            min="0"
                            max="100"
                            step="0.5"
                            prop:value=move || format!("{}", f64::from(view.humidity.get()) / 100.0)
                            on:input=set_humidity
                            on:change=set_humidity
                        />
                        <output>{move || format!("{:.1} %", f64::from(view.humidity.get()) / 100.0)}</output>
                    </label>
                </li>
                <li>
                    <span class="addr">"0x50"</span>
                    <span class="device">"24LC256 EEPROM, 32 KiB"</span>
                </li>
            </ul>
        </section>
    }
}

/// A slider's value in hundredths (`"21.5"` → 2150).
fn hundredths(value: &str) -> Option<i32> {
    let v: f64 = value.trim().parse().ok()?;
    v.is_finite().then(|| (v * 100.0).round() as i32)
}

/// Sorts pin names as people read them: `X2` before `X10`, board names before CPU names.
fn pin_order(name: &str) -> (u8, String, u32, String) {
    let split = name
        .find(|c: char| c.is_ascii_digit())
        .unwrap_or(name.len());
    let (prefix, rest) = name.split_at(split);
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let number = digits.parse().unwrap_or(0);
    let suffix = rest.get(digits.len()..).unwrap_or_default().to_string();
    let rank = match prefix {
        "X" => 0,
        "Y" => 1,
        _ => 2,
    };
    (rank, prefix.to_string(), number, suffix)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pins_sort_naturally() {
        let mut pins = vec!["Y1", "X10", "A13", "X2", "LED_RED", "X1"];
        pins.sort_by_key(|p| pin_order(p));
        assert_eq!(pins, ["X1", "X2", "X10", "Y1", "A13", "LED_RED"]);
    }

    #[test]
    fn slider_values() {
        assert_eq!(hundredths("21.5"), Some(2150));
        assert_eq!(hundredths("-40"), Some(-4000));
        assert_eq!(hundredths("x"), None);
    }
}
